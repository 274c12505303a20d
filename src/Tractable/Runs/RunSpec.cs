using System.Text.Json.Serialization;
using Tractable.Training;

namespace Tractable.Runs;

/// <summary>
/// Everything that defines a training run, saved as <c>run.json</c> in the run folder so that evaluation, sampling
/// and resuming need only the folder.
/// </summary>
public sealed record RunSpec
{
    /// <summary>Model kind name (see <see cref="ModelRegistry"/>).</summary>
    public required string Model { get; init; }

    /// <summary>Dataset or energy name, or a path-based source such as <c>csv:PATH</c>.</summary>
    public required string Data { get; init; }

    /// <summary>Folder file-based datasets are read from (null: <see cref="Tractable.Data.DataOptions"/>' default).</summary>
    public string? DataDir { get; init; }

    /// <summary>Seed of synthetic data and of table splits.</summary>
    public long DataSeed { get; init; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// Validation and the test figures use at most this many examples of each of those splits, the first ones; null
    /// uses them all. Datasets of examples only.
    /// </summary>
    public int? HeldOutLimit { get; init; }

    /// <summary>Length in samples of the training crops of sequence data (null: the model kind's default).</summary>
    public int? Crop { get; init; }

    /// <summary>Sample rate in Hz that speech is converted to (<see cref="Tractable.Data.DataOptions.SampleRate"/>); a trained run records the rate it used.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SampleRate { get; init; }

    /// <summary>The feature columns of a CSV table, as <see cref="Tractable.Data.ColumnSelection"/> text (null: all but the label).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Columns { get; init; }

    /// <summary>What reading a CSV table does with a missing value (null: <see cref="Tractable.Data.MissingValuePolicy.Error"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Tractable.Data.MissingValuePolicy? MissingValues { get; init; }

    /// <summary>The names of the features of the table the run was trained on (the header of sampled CSV files); null for data without names.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>Annealing steps of reverse-KL fitting (0: none).</summary>
    public int AnnealSteps { get; init; }

    /// <summary>The model kind's options that were set, by option name, as text (the kind's defaults fill the rest).</summary>
    public Dictionary<string, string> ModelOptions { get; init; } = [];

    /// <summary>Architecture settings of run folders written before <see cref="ModelOptions"/>; read, never written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LegacyArchitecture? Architecture { get; init; }

    /// <summary>Standardization setting of run folders written before <see cref="ModelOptions"/>; read, never written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Standardize { get; init; }

    /// <summary>Optimization settings.</summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>The model options, including those of an older run folder's architecture settings.</summary>
    public IReadOnlyDictionary<string, string> EffectiveModelOptions()
    {
        var options = new Dictionary<string, string>(ModelOptions, StringComparer.OrdinalIgnoreCase);
        if (Standardize is bool standardize) options.TryAdd("standardize", standardize ? "true" : "false");
        if (Architecture is not null)
            foreach (var (name, value) in Architecture.AsOptions()) options.TryAdd(name, value);
        return options;
    }
}
