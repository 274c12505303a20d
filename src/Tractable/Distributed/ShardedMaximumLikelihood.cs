using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Runtime;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Distributed;

/// <summary>
/// <see cref="MaximumLikelihood"/> split across the ranks of a data-parallel job. Every rank draws the global batch's
/// indices exactly as one process does (the trainer reseeds the generator from the seed and the step) and scores its
/// own contiguous share of them (<see cref="BatchShard"/>); validation scores each rank's share of the validation split
/// and adds the sums over ranks. The noise inside the model is one process's: every rank draws the whole global batch's
/// dequantization noise and dropout masks from the same <see cref="Randomness"/> and keeps its rows
/// (<see cref="NoiseSource.UseRows"/>), and validation's noise is positioned at each rank's first example
/// (<see cref="Split.FirstIndex"/>). A run on N ranks thus follows the run of one process with the same seed, up to the
/// order of floating-point sums, and its checkpoints hold one process's generator state.
/// </summary>
public sealed class ShardedMaximumLikelihood : ITrainingObjective
{
    private readonly MaximumLikelihood whole;
    private readonly Split train;
    private readonly Split validation;
    private readonly Device device;
    private readonly ICollective collective;
    private readonly CancellationToken request;
    private readonly CancellationTokenSource agreedStop = new();

    /// <summary>
    /// Trains on <paramref name="data"/> as one rank of <paramref name="collective"/>; <paramref name="cancellation"/> is this
    /// rank's request to stop, which <see cref="Cancellation"/> turns into a stop all ranks make after the same step.
    /// </summary>
    public ShardedMaximumLikelihood(DataSplits data, Device device, ICollective collective, CancellationToken cancellation = default)
    {
        whole = new MaximumLikelihood(data, device);
        train = data.Train;
        validation = data.Validation;
        this.device = device;
        this.collective = collective;
        request = cancellation;
    }

    /// <summary>Cancelled after the step in which any rank's request to stop was made, on every rank alike.</summary>
    public CancellationToken Cancellation => agreedStop.Token;

    /// <inheritdoc />
    /// <remarks>The same state on every rank: rank 0's after initialization, then advanced by the same draws everywhere.</remarks>
    public TrainingRandomness Randomness => whole.Randomness;

    /// <inheritdoc />
    /// <remarks>
    /// Rank 0 alone initializes from the data (ActNorm's scales from the first batch, standardizing statistics), from the
    /// same examples and with the same noise one process uses; then every rank takes rank 0's weights, buffers and the
    /// state of <see cref="Randomness"/>, so all start identical and draw the noise one process draws next.
    /// </remarks>
    public void Initialize(DensityModel model, Generator generator)
    {
        if (collective.IsRoot) whole.Initialize(model, generator);
        StateBroadcast.FromRoot(model, collective, Randomness);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The tensor's value is the loss of the whole global batch, the same on every rank (so all ranks agree to skip a
    /// non-finite step); its gradient is this rank's share, the sum over its rows divided by the global batch size, which
    /// <see cref="DataParallel.ReduceGradients"/> adds up over the ranks.
    /// </remarks>
    public Tensor Loss(DensityModel model, int batchSize, int step, Generator generator)
    {
        // The same draw as MaximumLikelihood.Loss, so that the global batch is the one a single process trains on.
        Tensor idx = randint(0, train.Count, [batchSize], generator: generator);
        BatchShard shard = BatchShard.Of(batchSize, collective);
        Tensor rows = idx.narrow(0, shard.Start, shard.Count);
        Tensor local;
        using (Randomness.Activate())
        using (NoiseSource.UseRows(shard.Start, batchSize))
            local = -model.LogProb(train.X.index_select(0, rows).to(device), Context(model, rows)).sum() / batchSize;
        double[] totals = collective.Sum(local.item<float>(), request.IsCancellationRequested ? 1 : 0);
        if (totals[1] > 0) agreedStop.Cancel();
        return local + (totals[0] - local.detach());
    }

    /// <inheritdoc />
    public double Validate(DensityModel model)
    {
        BatchShard shard = BatchShard.Of(validation.Count, collective);
        // A split smaller than the job leaves some ranks nothing to score; their sums are zero.
        MomentSums local = shard.Count == 0 ? default : MomentSums.Of(Evaluator.NegativeLogLikelihood(model, shard.Take(validation), device));
        return local.OverRanks(collective).ToEstimate().Mean;
    }

    private Tensor? Context(DensityModel model, Tensor rows) =>
        train.Labels is null ? null : model.ContextFromLabels(train.Labels.index_select(0, rows).to(device));
}
