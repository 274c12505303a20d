using Tractable.Transforms;

namespace Tractable.Models;

/// <summary>
/// A stack of radial flows (Rezende &amp; Mohamed 2015, arXiv:1505.05770, §4.1) over a standard normal, fitted by
/// reverse KL.
/// </summary>
public sealed record RadialConfig : LayerStackConfig
{
    /// <inheritdoc />
    public override string Name => "radial";

    /// <inheritdoc />
    protected override Bijector CreateLayer() => new RadialFlow(Features);
}
