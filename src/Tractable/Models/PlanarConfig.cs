using Tractable.Transforms;

namespace Tractable.Models;

/// <summary>
/// A stack of planar flows (Rezende &amp; Mohamed 2015, arXiv:1505.05770, §4.1) over a standard normal, fitted by
/// reverse KL: sampling and the density of its own samples, no density of arbitrary points.
/// </summary>
public sealed record PlanarConfig : VectorFlowConfig
{
    /// <inheritdoc />
    public override string Name => "planar";

    /// <summary>Number of planar layers K (the paper shows K = 2, 8, 32).</summary>
    public int Layers { get; init; } = 32;

    /// <inheritdoc />
    public override DensityModel Build() =>
        new Flow(this, new Chain(Enumerable.Range(0, Layers).Select(_ => (Bijector)new PlanarFlow(Features))), CreateBase());
}
