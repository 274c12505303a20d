using System.Globalization;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Tractable.Data;

/// <summary>Which column of a CSV file holds class labels.</summary>
public enum LabelColumn
{
    /// <summary>The last column when the file has a scikit-learn header (<c>n_samples,n_features,names…</c>) saying so, else none.</summary>
    Auto,
    /// <summary>No label column: every column is a feature.</summary>
    None,
    /// <summary>The last column holds integer labels.</summary>
    Last,
}

/// <summary>A numeric table read from CSV: features <c>[N, D]</c> and optional integer labels.</summary>
/// <param name="Features">The feature matrix (float32).</param>
/// <param name="Labels">Labels (int64), or null.</param>
public sealed record CsvTable(Tensor Features, Tensor? Labels)
{
    /// <summary>The most classes a label column may name: labels are class indices 0 … 9,999.</summary>
    public const int MaxClasses = 10_000;

    /// <summary>
    /// Reads <paramref name="path"/> (plain or <c>.gz</c>). A first row with a non-numeric cell is a header.
    /// Labels must be integers 0 … <see cref="MaxClasses"/> − 1. Every error names the file, row and column.
    /// </summary>
    public static CsvTable Load(string path, LabelColumn labelColumn = LabelColumn.Auto)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        string name = Path.GetFileName(path);
        try
        {
            return Parse(path, name, labelColumn);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{name}: not a readable gzip stream ({e.Message})", e);
        }
    }

    private static CsvTable Parse(string path, string name, LabelColumn labelColumn)
    {
        using Stream raw = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(stream);

        var rows = new List<double[]>();
        var rowNumbers = new List<long>();
        int? sklearnFeatures = null;
        int width = -1;
        long lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] cells = line.Split(',');
            if (lineNumber == 1 && cells.Any(c => !double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                // scikit-learn's bundled tables begin with "n_samples,n_features,class names".
                if (cells.Length >= 2 && int.TryParse(cells[1], out int nf)) sklearnFeatures = nf;
                continue;
            }
            if (width < 0) width = cells.Length;
            else if (cells.Length != width)
                throw DataFormatException.At(name, lineNumber, Math.Min(cells.Length, width) + 1,
                    $"expected {width} columns but found {cells.Length} (ragged row).");
            var values = new double[width];
            for (int c = 0; c < width; c++)
            {
                string cell = cells[c].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw DataFormatException.At(name, lineNumber, c + 1, $"'{cell}' is not a number.");
                if (!double.IsFinite(v))
                    throw DataFormatException.At(name, lineNumber, c + 1, $"'{cell}' is not a finite number (NaN or infinity).");
                if (Math.Abs(v) > float.MaxValue)
                    throw DataFormatException.At(name, lineNumber, c + 1, $"'{cell}' is beyond the range of float32 (±3.4e38).");
                values[c] = v;
            }
            rows.Add(values);
            rowNumbers.Add(lineNumber);
        }
        if (rows.Count == 0) throw new DataFormatException($"{name}: no data rows.");

        bool hasLabels = labelColumn == LabelColumn.Last
                         || (labelColumn == LabelColumn.Auto && sklearnFeatures is int f && f == width - 1);
        int featureCount = hasLabels ? width - 1 : width;
        if (featureCount < 1) throw new DataFormatException($"{name}: no feature columns.");

        var features = new float[rows.Count * featureCount];
        var labels = hasLabels ? new long[rows.Count] : null;
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < featureCount; c++) features[r * featureCount + c] = (float)rows[r][c];
            if (labels is not null) labels[r] = Label(rows[r][width - 1], name, rowNumbers[r], width);
        }
        return new CsvTable(tensor(features, [rows.Count, featureCount]), labels is null ? null : tensor(labels));
    }

    /// <summary>The class index in a label cell: an integer 0 … <see cref="MaxClasses"/> − 1.</summary>
    private static long Label(double value, string name, long row, int column)
    {
        if (value != Math.Floor(value))
            throw DataFormatException.At(name, row, column, $"label {value.ToString(CultureInfo.InvariantCulture)} is not an integer (labels are class indices 0, 1, 2, …).");
        if (value < 0 || value >= MaxClasses)
            throw DataFormatException.At(name, row, column, $"label {value.ToString(CultureInfo.InvariantCulture)} is out of range; labels are class indices 0 to {MaxClasses - 1}.");
        return (long)value;
    }
}
