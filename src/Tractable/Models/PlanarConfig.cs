using Tractable.Transforms;

namespace Tractable.Models;

/// <summary>
/// A stack of planar flows (Rezende &amp; Mohamed 2015, arXiv:1505.05770, §4.1) over a standard normal, fitted by
/// reverse KL: sampling and the density of its own samples, no density of arbitrary points.
/// </summary>
public sealed record PlanarConfig : LayerStackConfig
{
    /// <inheritdoc />
    public override string Name => "planar";

    /// <inheritdoc />
    protected override Bijector CreateLayer() => new PlanarFlow(Features);
}
