using Tractable.Transforms;
using Tractable.Transforms.Elementwise;

namespace Tractable.Models;

/// <summary>
/// MADE as a density model (Germain et al. 2015, arXiv:1502.03509): Gaussian conditionals
/// <c>x_i ~ N(μ_i, σ_i²)</c>, i.e. one affine autoregressive layer over a standard normal, or, with
/// <see cref="Components"/> &gt; 1, MADE MoG (mixtures of Gaussians per conditional; MAF, arXiv:1705.07057, §4).
/// </summary>
public sealed record MadeConfig : AutoregressiveConfig
{
    /// <inheritdoc />
    public override string Name => Components > 1 ? "made-mog" : "made";

    /// <summary>Gaussians per conditional: 1 for MADE, more for MADE MoG (the MAF paper uses 10).</summary>
    public int Components { get; init; } = 1;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.InRange(nameof(Components), Components, 1, ModelLimits.MaxLayers);
    }

    /// <inheritdoc />
    public override long EstimatedStateSize() => MadeSize(Components > 1 ? 3L * Components : 2);

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        return Components > 1
            ? CreateFlow(Preprocessing(), CreateMixture(0, Components))
            : CreateFlow([.. Preprocessing(), new MaskedAutoregressive(CreateMade(0, 2), new AffineMap())]);
    }
}
