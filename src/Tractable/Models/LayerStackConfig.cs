using Tractable.Transforms;

namespace Tractable.Models;

/// <summary>A flow that is a stack of K identical elementary layers over a standard normal (planar, radial).</summary>
public abstract record LayerStackConfig : VectorFlowConfig
{
    /// <summary>Number of layers K (Rezende &amp; Mohamed show K = 2, 8, 32).</summary>
    public int Layers { get; init; } = 32;

    /// <summary>Creates one layer.</summary>
    protected abstract Bijector CreateLayer();

    /// <inheritdoc />
    public override DensityModel Build() =>
        new Flow(this, new Chain(Enumerable.Range(0, Layers).Select(_ => CreateLayer())), CreateBase());
}
