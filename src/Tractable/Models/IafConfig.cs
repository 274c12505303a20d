using Tractable.Transforms;
using Tractable.Transforms.Elementwise;

namespace Tractable.Models;

/// <summary>
/// Inverse Autoregressive Flow (Kingma et al. 2016, arXiv:1606.04934) as a density model: the same autoregressive
/// layers as MAF, inverted (<see cref="InverseBijector"/>), so sampling takes one pass per layer and the density of a
/// given point D sequential steps. The default element-wise map is IAF's sigmoid-gated update (eq. 14).
/// </summary>
public sealed record IafConfig : AutoregressiveConfig
{
    /// <inheritdoc />
    public override string Name => "iaf";

    /// <summary>Number of autoregressive layers.</summary>
    public int Layers { get; init; } = 5;

    /// <summary>The element-wise update: gated (IAF's <c>σ·z + (1 − σ)·m</c>) or affine.</summary>
    public IafUpdate Map { get; init; } = IafUpdate.Gated;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.Layers(nameof(Layers), Layers);
        ConfigCheck.Defined(nameof(Map), Map);
    }

    /// <inheritdoc />
    public override long EstimatedStateSize() => ConfigCheck.Product(Layers, MadeSize(2));

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        var steps = new List<Bijector>(Preprocessing());
        for (int i = 0; i < Layers; i++)
        {
            ElementwiseMap map = Map switch
            {
                IafUpdate.Gated => new SigmoidGatedMap(),
                IafUpdate.Affine => new AffineMap(),
                _ => throw new ArgumentOutOfRangeException(nameof(Map), Map, "Not an IAF update."),
            };
            steps.Add(new InverseBijector(new MaskedAutoregressive(CreateMade(i, 2), map)));
        }
        return CreateFlow(steps);
    }
}
