using Tractable.Transforms;

namespace Tractable.Models;

/// <summary>
/// A stack of radial flows (Rezende &amp; Mohamed 2015, arXiv:1505.05770, §4.1) over a standard normal, fitted by
/// reverse KL.
/// </summary>
public sealed record RadialConfig : VectorFlowConfig
{
    /// <inheritdoc />
    public override string Name => "radial";

    /// <summary>Number of radial layers K.</summary>
    public int Layers { get; init; } = 32;

    /// <inheritdoc />
    public override DensityModel Build() =>
        new Flow(this, new Chain(Enumerable.Range(0, Layers).Select(_ => (Bijector)new RadialFlow(Features))), CreateBase());
}
