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

    /// <summary>
    /// The size the images of an image folder are resized to, as <see cref="Tractable.Data.Images.ImageResolution"/>
    /// reads it (<c>32</c>, <c>64x48</c>); null: the images' own size.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ImageSize { get; init; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Length in samples of the training crops of sequence data (null: the model kind's default).</summary>
    public int? Crop { get; init; }

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
