using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Distributions;

/// <summary>
/// A normalized density over events of shape <see cref="EventShape"/>, optionally conditioned on a context.
/// Used as the base density of flows.
/// </summary>
public abstract class Distribution : nn.Module
{
    /// <summary>Creates a distribution over events of the given shape.</summary>
    protected Distribution(string name, long[] eventShape) : base(name) => EventShape = eventShape;

    /// <summary>The shape of one event (without the batch dimension).</summary>
    public long[] EventShape { get; }

    /// <summary>Log-density in nats of each event; <paramref name="x"/> is <c>[B, ...EventShape]</c>, the result <c>[B]</c>.</summary>
    public abstract Tensor LogProb(Tensor x, Tensor? context = null);

    /// <summary>Draws <paramref name="n"/> events, <c>[n, ...EventShape]</c>; <paramref name="temperature"/> scales the spread.</summary>
    public abstract Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0);

    /// <summary>The shape <c>[n, ...EventShape]</c>.</summary>
    protected long[] BatchShape(long n) => [n, .. EventShape];

    /// <summary>Sums all but the batch dimension.</summary>
    protected static Tensor SumEvent(Tensor t) => t.dim() == 1 ? t : t.flatten(1).sum(1);
}
