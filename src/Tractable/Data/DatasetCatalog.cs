using Tractable.Data.Energy;
using Tractable.Data.Images;
using Tractable.Data.Toy;
using static TorchSharp.torch;

namespace Tractable.Data;

/// <summary>How datasets are made: sizes, seeds, and where files are read from (never downloaded).</summary>
public sealed record DataOptions
{
    /// <summary>Folder that file-based datasets are read from.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Seed of synthetic data and of the shuffling of tables into splits; fixed by default so runs compare.</summary>
    public long Seed { get; init; }

    /// <summary>Training points drawn from a toy 2D distribution.</summary>
    public long ToyTrainSize { get; init; } = 30_000;

    /// <summary>Validation points drawn from a toy 2D distribution.</summary>
    public long ToyValidationSize { get; init; } = 3_000;

    /// <summary>Test points drawn from a toy 2D distribution.</summary>
    public long ToyTestSize { get; init; } = 10_000;

    /// <summary>Label column of CSV tables.</summary>
    public LabelColumn CsvLabels { get; init; } = LabelColumn.Auto;

    /// <summary>
    /// Whether feature columns of a CSV table that hold one value in every row are dropped; by default such a table
    /// is refused, since a continuous density on a constant has no finite likelihood.
    /// </summary>
    public bool DropConstantColumns { get; init; }

    /// <summary>The feature columns read from a CSV table (null: every column but the label).</summary>
    public ColumnSelection? Columns { get; init; }

    /// <summary>What reading a CSV table does with a missing value: refuse the table (the default) or drop the row.</summary>
    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.Error;

    /// <summary>The sample rate, in Hz, that every file of a speech folder is converted to (null: the rate most files have).</summary>
    public int? SampleRate { get; init; }
}

/// <summary>
/// Resolves the <c>--data</c> names: the toy 2D sets (<c>moons</c>, <c>8gaussians</c>, …), the energies
/// <c>u1</c>…<c>u4</c>, and <c>csv:PATH</c>.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>Every dataset name, for help texts and errors.</summary>
    public static IEnumerable<string> Names =>
        ToyDatasets.All.Select(d => d.Name).Concat(PotentialEnergy.All.Select(p => p.Name))
            .Concat(["mnist", "mnist-binarized", "cifar10", "csv:PATH", "speech:PATH"]);

    /// <summary>Whether the dataset named by <paramref name="spec"/> is discrete (figures in bits/dim), without loading it.</summary>
    public static bool IsDiscrete(string spec) =>
        spec.ToLowerInvariant() is "mnist" or "mnist-binarized" or "cifar10" || IsSpeech(spec);

    /// <summary>Whether <paramref name="spec"/> names a folder of speech (<c>speech:PATH</c>, see <see cref="Audio.SpeechDataset"/>).</summary>
    public static bool IsSpeech(string spec) => spec.StartsWith("speech:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The energy called <paramref name="spec"/>, or null when the spec names a dataset.</summary>
    public static PotentialEnergy? FindEnergy(string spec) => PotentialEnergy.Find(spec);

    /// <summary>Loads the dataset named by <paramref name="spec"/>.</summary>
    public static DataSplits Load(string spec, DataOptions? options = null)
    {
        options ??= new DataOptions();
        RefuseTableOptions(spec, options);
        if (ToyDatasets.Find(spec) is { } toy) return LoadToy(toy, options);
        if (spec.StartsWith("csv:", StringComparison.OrdinalIgnoreCase)) return LoadCsv(spec[4..], options);
        switch (spec.ToLowerInvariant())
        {
            case "mnist": return Mnist.Load(options.DataDirectory);
            case "mnist-binarized": return Mnist.Load(options.DataDirectory, binarizeSeed: options.Seed);
            case "cifar10": return Cifar10.Load(options.DataDirectory);
        }
        if (IsSpeech(spec))
            throw new InvalidSettingException("data", $"'{spec}' is audio: load it with SpeechDataset.Load (sequence models such as wavenet).");
        if (PotentialEnergy.Find(spec) is not null)
            throw new InvalidSettingException("data", $"'{spec}' is an unnormalized energy, not a dataset: it has no examples to evaluate on.");
        throw new InvalidSettingException("data", $"Unknown dataset '{spec}'; expected one of: {string.Join(", ", Names)}.");
    }

    /// <summary>Refuses the CSV table options for data that is not a CSV table, rather than ignore them.</summary>
    private static void RefuseTableOptions(string spec, DataOptions o)
    {
        if (spec.StartsWith("csv:", StringComparison.OrdinalIgnoreCase)) return;
        if (o.Columns is not null) throw new InvalidSettingException(nameof(DataOptions.Columns), $"'{spec}' is not a CSV table: only tables have columns to choose.");
        if (o.MissingValues != MissingValuePolicy.Error)
            throw new InvalidSettingException(nameof(DataOptions.MissingValues), $"'{spec}' is not a CSV table: only tables have missing values to drop.");
    }

    private static DataSplits LoadToy(ToyDataset toy, DataOptions o)
    {
        Split Draw(long n, long seedOffset)
        {
            using var g = new Generator((ulong)(o.Seed * 3 + seedOffset));
            return new Split(toy.Sample(n, g));
        }
        return new DataSplits(toy.Name, Draw(o.ToyTrainSize, 0), Draw(o.ToyValidationSize, 1), Draw(o.ToyTestSize, 2))
        {
            TrueLogProb = toy.HasLogProb ? x => toy.LogProb(x)! : null,
        };
    }

    /// <summary>
    /// <paramref name="table"/> with its constant feature columns dropped when <paramref name="drop"/>, else refused
    /// with the columns named (1-based, as in the file).
    /// </summary>
    private static CsvTable WithoutConstantColumns(CsvTable table, string name, bool drop)
    {
        using var scope = NewDisposeScope();
        Tensor varying = table.Features.amax(0).gt(table.Features.amin(0));
        bool[] keep = varying.data<bool>().ToArray();
        if (keep.All(k => k)) return table;
        int[] constant = Enumerable.Range(0, keep.Length).Where(c => !keep[c]).ToArray();
        string columns = string.Join(", ", constant.Take(10).Select(c => table.FeatureColumns[c])) + (constant.Length > 10 ? ", …" : "");
        if (!drop)
            throw new DataFormatException(
                $"{name}: column{(constant.Length > 1 ? "s" : "")} {columns} hold{(constant.Length > 1 ? "" : "s")} one value in every row; a continuous density on a constant has no finite likelihood (remove {(constant.Length > 1 ? "them" : "it")}, or set DataOptions.DropConstantColumns).");
        if (constant.Length == keep.Length) throw new DataFormatException($"{name}: every feature column is constant.");
        int[] varyingColumns = Enumerable.Range(0, keep.Length).Where(c => keep[c]).ToArray();
        Tensor kept = tensor(varyingColumns.Select(c => (long)c).ToArray());
        return table with
        {
            Features = table.Features.index_select(1, kept).MoveToOuterDisposeScope(),
            FeatureNames = varyingColumns.Select(c => table.FeatureNames[c]).ToArray(),
            FeatureColumns = varyingColumns.Select(c => table.FeatureColumns[c]).ToArray(),
        };
    }

    /// <summary>A table shuffled (seeded) into 80% train, 10% validation, 10% test.</summary>
    private static DataSplits LoadCsv(string path, DataOptions o)
    {
        if (!Path.IsPathRooted(path) && o.DataDirectory is not null && !File.Exists(path))
            path = Path.Combine(o.DataDirectory, path);
        CsvTable table = WithoutConstantColumns(CsvTable.Load(path, o.CsvLabels, o.Columns, o.MissingValues), Path.GetFileName(path), o.DropConstantColumns);
        long n = table.Features.shape[0];
        if (n < 10) throw new DataFormatException($"{Path.GetFileName(path)}: {n} rows are too few to split into train, validation and test.");
        using var g = new Generator((ulong)o.Seed);
        Tensor order = randperm(n, generator: g);
        long nTest = Math.Max(1, n / 10), nVal = Math.Max(1, n / 10);
        Split Take(long start, long count)
        {
            Tensor idx = order.narrow(0, start, count);
            return new Split(table.Features.index_select(0, idx), table.Labels?.index_select(0, idx));
        }
        int classes = table.Labels is null ? 0 : (int)table.Labels.max().item<long>() + 1;
        return new DataSplits($"csv:{path}", Take(nVal + nTest, n - nVal - nTest), Take(0, nVal), Take(nVal, nTest))
        {
            NumClasses = classes,
            StandardizeByDefault = true,
            FeatureNames = table.FeatureNames,
        };
    }
}
