using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// Maximum likelihood (forward KL): minimize the mean negative log-likelihood of minibatches drawn uniformly
/// from the training split; validate on the validation split.
/// </summary>
public sealed class MaximumLikelihood : ITrainingObjective
{
    private readonly Split train;
    private readonly Split validation;
    private readonly Device device;
    private readonly TrainingRandomness randomness;

    /// <summary>Trains on <paramref name="data"/>; labels reach the model through <see cref="DensityModel.ContextFromLabels"/>.</summary>
    public MaximumLikelihood(DataSplits data, Device device)
    {
        train = data.Train;
        validation = data.Validation;
        this.device = device;
        randomness = new TrainingRandomness(device: device);
    }

    /// <inheritdoc />
    /// <remarks>Dequantization noise and dropout come from here; it is seeded from the trainer's generator in <see cref="Initialize"/>.</remarks>
    public TrainingRandomness Randomness => randomness;

    /// <inheritdoc />
    public void Initialize(DensityModel model, Generator generator)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        long n = Math.Min(train.Count, 10_000);
        Tensor idx = randperm(train.Count, generator: generator).narrow(0, 0, n);
        randomness.Reseed(generator);
        using var noise = randomness.Activate();
        model.InitializeFromData(train.X.index_select(0, idx).to(device), Context(model, train, idx));
    }

    /// <inheritdoc />
    public Tensor Loss(DensityModel model, int batchSize, int step, Generator generator)
    {
        Tensor idx = randint(0, train.Count, [batchSize], generator: generator);
        using var noise = randomness.Activate();
        return -model.LogProb(train.X.index_select(0, idx).to(device), Context(model, train, idx)).mean();
    }

    /// <inheritdoc />
    public double Validate(DensityModel model) => Validate(model, null);

    /// <inheritdoc />
    public double Validate(DensityModel model, int? batchSize) =>
        (batchSize is int size
            ? Evaluator.NegativeLogLikelihood(model, validation, device, size)
            : Evaluator.NegativeLogLikelihood(model, validation, device)).Mean;

    private Tensor? Context(DensityModel model, Split split, Tensor idx) =>
        split.Labels is null ? null : model.ContextFromLabels(split.Labels.index_select(0, idx).to(device));
}
