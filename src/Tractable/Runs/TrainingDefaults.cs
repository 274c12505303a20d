using Tractable.Training;

namespace Tractable.Runs;

/// <summary>
/// The settings a model kind trains with when the user sets none: sized so that a default run fits a 2-core,
/// 24 GB machine (under 4 GB resident) and shows progress within a minute.
/// </summary>
/// <param name="Trainer">Optimization settings (batch size, learning rate, warm-up, steps, averaging, evaluation batch).</param>
/// <param name="Crop">Samples per training crop of sequence data.</param>
public sealed record TrainingDefaults(TrainerOptions Trainer, int Crop = 4096)
{
    /// <summary>The trainer's own defaults.</summary>
    public static TrainingDefaults Standard { get; } = new(new TrainerOptions());
}
