using TorchSharp.Modules;

namespace Tractable.Distributed;

/// <summary>
/// What the trainer does differently when it trains with other ranks: after each backward pass it sums the ranks'
/// gradients in buckets (<see cref="FlatBuckets"/>), and it makes the decisions that rest on a rank's own clock together.
/// </summary>
/// <remarks>
/// Each rank's loss is its share of the global batch's mean (<see cref="ShardedMaximumLikelihood"/>: the sum over its
/// rows divided by the global batch size), so the sum of the ranks' gradients is the gradient of that mean, whether or
/// not the batch divides evenly among the ranks. Every rank then holds the same gradient, clips it by the same norm and
/// takes the same optimizer step from the same weights.
/// </remarks>
public sealed class DataParallel(ICollective collective, long bucketBytes = FlatBuckets.DefaultBucketBytes) : IDisposable
{
    private FlatBuckets? buckets;

    /// <summary>The ranks.</summary>
    public ICollective Collective => collective;

    /// <summary>Replaces each parameter's gradient with its sum over all ranks (the buckets are laid out at the first call).</summary>
    public void ReduceGradients(IReadOnlyList<Parameter> parameters)
    {
        buckets ??= new FlatBuckets(parameters, bucketBytes);
        buckets.Run(parameters.Select(p => p.grad).ToList(), collective.SumInPlace);
    }

    /// <summary>Whether any rank says yes (every rank gets the same answer): a stop that one rank's clock calls for.</summary>
    public bool AnyRank(bool value) => collective.AnyRank(value);

    /// <inheritdoc />
    public void Dispose() => buckets?.Dispose();
}
