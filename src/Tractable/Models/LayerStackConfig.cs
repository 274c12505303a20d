using Tractable.Transforms;

namespace Tractable.Models;

/// <summary>A flow that is a stack of K identical elementary layers over a standard normal (planar, radial).</summary>
public abstract record LayerStackConfig : VectorFlowConfig
{
    /// <summary>Number of layers K (Rezende &amp; Mohamed show K = 2, 8, 32).</summary>
    public int Layers { get; init; } = 32;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.Layers(nameof(Layers), Layers);
    }

    /// <inheritdoc />
    /// <remarks>A planar layer has 2D + 1 scalars, a radial one D + 2.</remarks>
    public override long EstimatedStateSize() => ConfigCheck.Product(Layers, 2L * Features + 2);

    /// <summary>Creates one layer.</summary>
    protected abstract Bijector CreateLayer();

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        return new Flow(this, new Chain(Enumerable.Range(0, Layers).Select(_ => CreateLayer())), CreateBase());
    }
}
