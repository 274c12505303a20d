using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// The radial flow of Rezende &amp; Mohamed 2015 (arXiv:1505.05770, eq. 14) in the noise-to-data direction:
/// <c>f(z) = z + β·h(α, r)·(z − z₀)</c>, <c>r = ‖z − z₀‖</c>, <c>h = 1/(α + r)</c>, with
/// <c>det ∂f/∂z = (1 + βh)^(d−1)·(1 + βh + βh′r)</c>.
/// </summary>
/// <remarks>
/// Invertibility needs <c>β ≥ −α</c>: <c>α = softplus(α′) &gt; 0</c> and <c>β = −α + softplus(β′)</c>.
/// No closed-form inverse: the forward (data-to-noise) direction throws.
/// </remarks>
public sealed class RadialFlow : Bijector
{
    private readonly Parameter z0;
    private readonly Parameter alphaRaw;
    private readonly Parameter betaRaw;

    /// <summary>A radial layer over <paramref name="features"/> dimensions.</summary>
    public RadialFlow(int features) : base(nameof(RadialFlow))
    {
        z0 = new Parameter(randn(features) * 0.5);
        alphaRaw = new Parameter(zeros(1));
        betaRaw = new Parameter(randn(1) * 0.1);
        RegisterComponents();
        Features = features;
    }

    /// <summary>The dimension d.</summary>
    public int Features { get; }

    /// <inheritdoc />
    public override BijectorDirections Directions => BijectorDirections.Inverse;

    /// <summary>The constrained α &gt; 0 and β ≥ −α.</summary>
    public (Tensor alpha, Tensor beta) Constrained()
    {
        Tensor alpha = nn.functional.softplus(alphaRaw);
        return (alpha, -alpha + nn.functional.softplus(betaRaw));
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        throw new DirectionNotAvailableException(
            "A radial flow has no closed-form inverse, so log p(x) of a given point cannot be computed; " +
            "fit it by reverse KL to an energy (u1..u4) and use sampling.");

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor z, Tensor? context = null)
    {
        (Tensor alpha, Tensor beta) = Constrained();
        Tensor diff = z - z0;
        Tensor r = diff.norm(1);                                  // [B]
        Tensor h = 1 / (alpha + r);
        Tensor betaH = beta * h;
        Tensor x = z + betaH.unsqueeze(1) * diff;
        // h'(r) r = -r/(α+r)²; both factors of the determinant are positive when β ≥ -α.
        Tensor logDet = (Features - 1) * (1 + betaH).log() + (1 + betaH - beta * r * h.square()).log();
        return (x, logDet);
    }
}
