using Tractable.Data.Arrays;
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

    /// <summary>
    /// The width and height every image of an image folder (<c>images:FOLDER</c>) is resized to; null (the default)
    /// requires the images to share one size. Other datasets refuse it.
    /// </summary>
    public ImageResolution? ImageSize { get; init; }
}

/// <summary>
/// Resolves the <c>--data</c> names: the toy 2D sets (<c>moons</c>, <c>8gaussians</c>, …), the energies
/// <c>u1</c>…<c>u4</c>, <c>csv:PATH</c>, and the user's own images and arrays: <c>images:FOLDER</c>
/// (<see cref="ImageFolder"/>), <c>npy:FILE</c> (<see cref="NpyDataset"/>) and <c>idx:FOLDER</c> (<see cref="IdxFolder"/>).
/// A relative path that does not exist is looked for under <see cref="DataOptions.DataDirectory"/>.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>Every dataset name, for help texts and errors.</summary>
    public static IEnumerable<string> Names =>
        ToyDatasets.All.Select(d => d.Name).Concat(PotentialEnergy.All.Select(p => p.Name))
            .Concat(["mnist", "mnist-binarized", "cifar10", "csv:PATH", "speech:PATH", "images:FOLDER", "npy:FILE", "idx:FOLDER"]);

    /// <summary>
    /// Whether the dataset named by <paramref name="spec"/> is discrete (figures in bits/dim), without loading it (an
    /// <c>npy:</c> file's header is read).
    /// </summary>
    public static bool IsDiscrete(string spec, DataOptions? options = null) =>
        spec.ToLowerInvariant() is "mnist" or "mnist-binarized" or "cifar10" || IsSpeech(spec)
        || Source(spec, ImageFolder.Prefix) is not null || Source(spec, IdxFolder.Prefix) is not null
        || (Source(spec, NpyDataset.Prefix) is string npy && NpyDataset.IsDiscrete(Resolve(npy, options ?? new DataOptions())));

    /// <summary>Whether <paramref name="spec"/> names a folder of speech (<c>speech:PATH</c>, see <see cref="Audio.SpeechDataset"/>).</summary>
    public static bool IsSpeech(string spec) => spec.StartsWith("speech:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The energy called <paramref name="spec"/>, or null when the spec names a dataset.</summary>
    public static PotentialEnergy? FindEnergy(string spec) => PotentialEnergy.Find(spec);

    /// <summary>Loads the dataset named by <paramref name="spec"/>.</summary>
    public static DataSplits Load(string spec, DataOptions? options = null)
    {
        options ??= new DataOptions();
        RefuseTableOptions(spec, options);
        if (options.ImageSize is not null && Source(spec, ImageFolder.Prefix) is null)
            throw new InvalidSettingException(nameof(DataOptions.ImageSize), $"'{spec}' is not an image folder: only the images of {ImageFolder.Prefix}FOLDER are resized.");
        if (ToyDatasets.Find(spec) is { } toy) return LoadToy(toy, options);
        if (spec.StartsWith("csv:", StringComparison.OrdinalIgnoreCase)) return LoadCsv(spec[4..], options);
        if (Source(spec, ImageFolder.Prefix) is string images) return ImageFolder.Load(Resolve(images, options), options.ImageSize, options.Seed);
        if (Source(spec, NpyDataset.Prefix) is string npy) return NpyDataset.Load(Resolve(npy, options), options);
        if (Source(spec, IdxFolder.Prefix) is string idx) return IdxFolder.Load(Resolve(idx, options));
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

    /// <summary>The path after <paramref name="prefix"/> (e.g. <c>npy:</c>) when <paramref name="spec"/> starts with it, else null.</summary>
    private static string? Source(string spec, string prefix) =>
        spec.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? spec[prefix.Length..] : null;

    /// <summary><paramref name="path"/> as given when it exists or is absolute, else under the data directory.</summary>
    private static string Resolve(string path, DataOptions o) =>
        Path.IsPathRooted(path) || o.DataDirectory is null || File.Exists(path) || Directory.Exists(path) ? path : Path.Combine(o.DataDirectory, path);

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
        long n = table.Features.size(0);
        if (n < 10) throw new DataFormatException($"{Path.GetFileName(path)}: {n} rows are too few to split into train, validation and test.");
        (Split train, Split validation, Split test) = new Split(table.Features, table.Labels).ShuffledThreeWays(o.Seed);
        int classes = table.Labels is null ? 0 : (int)table.Labels.max().item<long>() + 1;
        return new DataSplits($"csv:{path}", train, validation, test)
        {
            NumClasses = classes,
            StandardizeByDefault = true,
            FeatureNames = table.FeatureNames,
        };
    }
}
