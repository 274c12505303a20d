using System.Globalization;
using System.IO.Compression;
using Tractable.IO;
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
    /// The cells that are a missing value, compared after trimming and ignoring case: the empty cell, <c>NA</c>,
    /// <c>N/A</c>, <c>#N/A</c>, <c>NaN</c>, <c>-NaN</c>, <c>null</c>, <c>None</c>, <c>&lt;NA&gt;</c> and <c>?</c> (the UCI tables' mark).
    /// </summary>
    public static IReadOnlySet<string> MissingTokens { get; } =
        new HashSet<string>(["", "NA", "N/A", "#N/A", "NaN", "-NaN", "null", "None", "<NA>", "?"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The names of the feature columns: the header's cells where the file has a header row of names, else <c>x1</c>…<c>xD</c> by column.</summary>
    public IReadOnlyList<string> FeatureNames { get; init; } = [];

    /// <summary>The 1-based columns of the file that the features were read from.</summary>
    public IReadOnlyList<int> FeatureColumns { get; init; } = [];

    /// <summary>The rows left out for a missing value (<see cref="MissingValuePolicy.Drop"/>).</summary>
    public int DroppedRows { get; init; }

    /// <summary>
    /// Reads <paramref name="path"/> (plain or <c>.gz</c>; cells split at commas, not quoted). A first row with a cell
    /// that is neither a number nor a missing value is a header: names, or scikit-learn's <c>n_samples,n_features,…</c>.
    /// <paramref name="columns"/> chooses the feature columns (null: every column but the label); only they and the
    /// label column are read, and a missing value among them is refused or its row dropped as
    /// <paramref name="missingValues"/> says. Labels must be integers 0 … <see cref="MaxClasses"/> − 1. Every error
    /// names the file, row and column.
    /// </summary>
    public static CsvTable Load(string path, LabelColumn labelColumn = LabelColumn.Auto, ColumnSelection? columns = null,
        MissingValuePolicy missingValues = MissingValuePolicy.Error)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        string name = Path.GetFileName(path);
        try
        {
            return Parse(path, name, labelColumn, columns, missingValues);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{name}: not a readable gzip stream ({e.Message})", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="rows"/> <c>[N, D]</c> to <paramref name="path"/> (atomically) under a header of
    /// <paramref name="names"/> (null, or not D of them: <c>x1</c>…<c>xD</c>), each value in plain decimal notation
    /// (<see cref="PlainNumber"/>).
    /// </summary>
    public static void Write(string path, Tensor rows, IReadOnlyList<string>? names = null) =>
        AtomicFile.Write(path, tmp =>
        {
            using var writer = new StreamWriter(tmp);
            new CsvWriter(writer, names).Write(rows);
        });

    private static CsvTable Parse(string path, string name, LabelColumn labelColumn, ColumnSelection? columns, MissingValuePolicy missingValues)
    {
        using Stream raw = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(stream);

        var rows = new List<float[]>();
        var labels = new List<long>();
        string[]? header = null;
        int? sklearnFeatures = null;
        int width = -1, dropped = 0;
        int[] features = [];
        int? labelIndex = null;
        long lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] cells = line.Split(',').Select(c => c.Trim()).ToArray();
            if (lineNumber == 1 && cells.Any(c => !IsNumber(c) && !MissingTokens.Contains(c)))
            {
                // scikit-learn's bundled tables begin with "n_samples,n_features,class names".
                if (cells.Length >= 2 && int.TryParse(cells[0], out _) && int.TryParse(cells[1], out int nf)) sklearnFeatures = nf;
                else header = cells;
                continue;
            }
            if (width < 0)
            {
                width = cells.Length;
                bool hasLabels = labelColumn == LabelColumn.Last
                                 || (labelColumn == LabelColumn.Auto && sklearnFeatures is int f && f == width - 1);
                labelIndex = hasLabels ? width - 1 : null;
                features = columns?.Resolve(header, width, name) ?? Enumerable.Range(0, hasLabels ? width - 1 : width).ToArray();
                if (features.Length == 0) throw new DataFormatException($"{name}: no feature columns.");
                if (labelIndex is int l && features.Contains(l))
                    throw new InvalidSettingException(nameof(DataOptions.Columns), $"column {l + 1} of {name} holds the labels; it cannot also be a feature.");
            }
            else if (cells.Length != width)
                throw DataFormatException.At(name, lineNumber, Math.Min(cells.Length, width) + 1,
                    $"expected {width} columns but found {cells.Length} (ragged row).");
            int[] read = labelIndex is int label ? [.. features, label] : features;
            if (read.FirstOrDefault(c => MissingTokens.Contains(cells[c]), -1) is int gap and >= 0)
            {
                if (missingValues == MissingValuePolicy.Drop)
                {
                    dropped++;
                    continue;
                }
                throw DataFormatException.At(name, lineNumber, gap + 1,
                    $"a missing value ('{cells[gap]}'{(header is not null && gap < header.Length ? $" in '{header[gap]}'" : "")}); such rows are refused unless DataOptions.MissingValues is Drop.");
            }
            rows.Add(features.Select(c => (float)Number(cells[c], name, lineNumber, c)).ToArray());
            if (labelIndex is int last) labels.Add(Label(Number(cells[last], name, lineNumber, last), name, lineNumber, last + 1));
        }
        if (rows.Count == 0)
            throw new DataFormatException(dropped > 0 ? $"{name}: every one of its {dropped} rows has a missing value." : $"{name}: no data rows.");

        var flat = new float[rows.Count * features.Length];
        for (int r = 0; r < rows.Count; r++) rows[r].CopyTo(flat, r * features.Length);
        return new CsvTable(tensor(flat, [rows.Count, features.Length]), labelIndex is null ? null : tensor(labels.ToArray()))
        {
            FeatureNames = features.Select(c => header is not null && c < header.Length && header[c].Length > 0 ? header[c] : $"x{c + 1}").ToArray(),
            FeatureColumns = features.Select(c => c + 1).ToArray(),
            DroppedRows = dropped,
        };
    }

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>The finite float32-range number in a cell at <paramref name="row"/> and 0-based <paramref name="column"/>.</summary>
    private static double Number(string cell, string name, long row, int column)
    {
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw DataFormatException.At(name, row, column + 1, $"'{cell}' is not a number.");
        if (!double.IsFinite(v))
            throw DataFormatException.At(name, row, column + 1, $"'{cell}' is not a finite number (NaN or infinity).");
        if (!float.IsFinite((float)v))
            throw DataFormatException.At(name, row, column + 1, $"'{cell}' is beyond the range of float32 (±3.4e38).");
        return v;
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
