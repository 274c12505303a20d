using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Models;

/// <summary>What the multi-scale image flows share: discrete images, dequantized, in batches that fit 2 cores.</summary>
public abstract class ImageFlowKind<TConfig> : ModelKind<TConfig> where TConfig : ImageFlowConfig
{
    /// <inheritdoc />
    public override DataKind Accepts => DataKind.Examples;

    /// <inheritdoc />
    public override DataShape TypicalData => new([1, 28, 28], NumClasses: 10, Levels: 256);

    /// <summary>The kind's configuration before the data is known.</summary>
    protected abstract TConfig Fresh();

    /// <inheritdoc />
    protected override TConfig Configure(DataShape data)
    {
        (int c, int h, int w, int levels) = DiscreteImage(data);
        return Fresh() with { ImageShape = [c, h, w], PixelLevels = levels };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Batch 32 (docs/image-flows.md): a batch of 512 MNIST images took 5.3 GB in RealNVP's residual networks; the
    /// evaluation batch of 256 keeps scoring the test split under 4 GB as well.
    /// </remarks>
    public override TrainingDefaults Defaults(DataShape data) =>
        new(new TrainerOptions { BatchSize = 32, WarmupSteps = 200, EvalEvery = 1000, CheckpointEvery = 500, EvaluationBatchSize = 256 });
}
