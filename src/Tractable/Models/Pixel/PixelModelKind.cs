using Tractable.Runs;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>
/// What the autoregressive image kinds share: discrete images in raster order, an exact discrete likelihood, batches
/// that fit 2 cores, and a cached fast sampler beside the naive one.
/// </summary>
public abstract class PixelModelKind<TConfig> : ModelKind<TConfig> where TConfig : PixelModelConfig
{
    /// <inheritdoc />
    public override DataKind Accepts => DataKind.Examples;

    /// <inheritdoc />
    public override DataShape TypicalData => new([1, 28, 28], NumClasses: 10, Levels: 2);

    /// <inheritdoc />
    public override SamplingFeatures Sampling => SamplingFeatures.Fast;

    /// <summary>The kind's configuration before the data is known.</summary>
    protected abstract TConfig Fresh();

    /// <inheritdoc />
    protected override TConfig Configure(DataShape data)
    {
        (int colours, int height, int width, int levels) = DiscreteImage(data);
        return Fresh() with { Colours = colours, Height = height, Width = width, Levels = levels };
    }

    /// <inheritdoc />
    /// <remarks>
    /// Batch 32 (docs/pixelcnn.md): at the trainer's 512, one step of Gated PixelCNN took 10.4 GB and PixelCNN++ 20.8 GB.
    /// Evaluation in passes of 256 images: at the evaluator's 2,048 a Diagonal BiLSTM pass peaked at 4.6 GB
    /// (docs/benchmarks.md).
    /// </remarks>
    public override TrainingDefaults Defaults(DataShape data) =>
        new(new TrainerOptions { BatchSize = 32, EvalEvery = 400, CheckpointEvery = 200, EvaluationBatchSize = 256 });

    /// <inheritdoc />
    protected override Tensor DrawValues(DensityModel model, long n, Tensor? context, Generator generator, SampleRequest request) =>
        ((PixelAutoregressiveModel)model).Sample(n, context, generator, request.Temperature, request.Fast);
}
