using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>What a trainer minimizes: a loss on a random batch, and a validation figure to select and stop on.</summary>
public interface ITrainingObjective
{
    /// <summary>Data-dependent initialization of <paramref name="model"/> before the first step.</summary>
    void Initialize(DensityModel model, Generator generator);

    /// <summary>The scalar loss of one batch of <paramref name="batchSize"/> drawn with <paramref name="generator"/>.</summary>
    Tensor Loss(DensityModel model, int batchSize, int step, Generator generator);

    /// <summary>The validation loss (lower is better), computed without gradients.</summary>
    double Validate(DensityModel model);

    /// <summary>
    /// The generator of the random draws inside the model during <see cref="Initialize"/> and <see cref="Loss"/>
    /// (dequantization noise, dropout masks): a checkpoint saves its state and a resume restores it
    /// (<see cref="CheckpointStore.Save"/>, <see cref="CheckpointStore.LoadRandomness"/>); null for an objective that
    /// keeps none.
    /// </summary>
    TrainingRandomness? Randomness => null;

    /// <summary>
    /// The validation loss computed in batches of at most <paramref name="batchSize"/> examples (for sequences, samples
    /// per chunk); null keeps the objective's default. An objective whose validation has no batches keeps the default
    /// implementation, which ignores the size.
    /// </summary>
    double Validate(DensityModel model, int? batchSize) => Validate(model);
}
