using Tractable.Models;
using Tractable.Training;

namespace Tractable.Cli.Runs;

/// <summary>
/// Everything that defines a training run, saved as <c>run.json</c> in the run folder so that <c>eval</c>,
/// <c>sample</c> and <c>--resume</c> need only <c>--run DIR</c>.
/// </summary>
public sealed record RunSpec
{
    /// <summary>Model name (see <see cref="ModelCatalog.Names"/>).</summary>
    public required string Model { get; init; }

    /// <summary>Dataset or energy name, or <c>csv:PATH</c>.</summary>
    public required string Data { get; init; }

    /// <summary>Folder file-based datasets are read from.</summary>
    public string? DataDir { get; init; }

    /// <summary>Seed of synthetic data and of table splits.</summary>
    public long DataSeed { get; init; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Standardize the data inside the model (null: the dataset's default).</summary>
    public bool? Standardize { get; init; }

    /// <summary>Length in samples of the training crops of audio data (and of a sequence model's examples).</summary>
    public int Crop { get; init; } = 4096;

    /// <summary>Annealing steps of reverse-KL fitting (0: none).</summary>
    public int AnnealSteps { get; init; }

    /// <summary>Architecture overrides.</summary>
    public ArchitectureOptions Architecture { get; init; } = new();

    /// <summary>Optimization settings.</summary>
    public TrainerOptions Trainer { get; init; } = new();
}
