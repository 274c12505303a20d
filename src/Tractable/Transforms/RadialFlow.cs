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
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor z, Tensor? context = null) => Push(z, z0, alphaRaw, betaRaw);

    /// <summary>
    /// <c>f(z) = z + β·h(α, r)·(z − z₀)</c> and <c>log|det ∂f/∂z|</c> for raw parameters, shared (<c>z₀</c> <c>[D]</c>,
    /// <c>α′, β′</c> <c>[1]</c>) or per example (<c>[B, D]</c>, <c>[B]</c>, as amortized by an encoder);
    /// <c>α = softplus(α′)</c>, <c>β = −α + softplus(β′)</c>.
    /// </summary>
    /// <remarks>
    /// With <c>β = s − α</c> (<c>s = softplus(β′) &gt; 0</c>) the two factors of the determinant are
    /// <c>1 + βh = (r + s)/(α + r)</c> and <c>1 + βh + βh′r = (r(r + 2α) + αs)/(α + r)²</c>: ratios of positive terms,
    /// so their logarithms never meet a cancellation.
    /// </remarks>
    public static (Tensor x, Tensor logAbsDet) Push(Tensor z, Tensor z0, Tensor alphaRaw, Tensor betaRaw)
    {
        (Tensor alpha, Tensor s) = (nn.functional.softplus(alphaRaw), nn.functional.softplus(betaRaw));
        Tensor diff = z - z0;
        Tensor r = diff.norm(1);                                  // [B]
        Tensor logAlphaR = (alpha + r).log();
        Tensor radialScale = ((r + s).log() - logAlphaR);          // log(1 + βh)
        Tensor x = z0 + radialScale.exp().unsqueeze(-1) * diff;    // z + βh(z − z₀) = z₀ + (1 + βh)(z − z₀)
        long d = z.size(-1);
        return (x, (d - 1) * radialScale + (r * (r + 2 * alpha) + alpha * s).log() - 2 * logAlphaR);
    }

    /// <summary>
    /// The inverse of <see cref="Push"/> and its <c>log|det|</c>: on the ray from <c>z₀</c>, <c>R = ‖x − z₀‖</c> is
    /// <c>r(r + s)/(α + r)</c>, so <c>r</c> is the positive root of <c>r² + (s − R)r − Rα = 0</c>, taken in the form
    /// without cancellation for either sign of <c>s − R</c>; then <c>z − z₀ = (x − z₀)(α + r)/(r + s)</c>.
    /// </summary>
    public static (Tensor z, Tensor logAbsDet) Pull(Tensor x, Tensor z0, Tensor alphaRaw, Tensor betaRaw)
    {
        (Tensor alpha, Tensor s) = (nn.functional.softplus(alphaRaw), nn.functional.softplus(betaRaw));
        Tensor diff = x - z0;
        Tensor bigR = diff.norm(1);                               // [B]
        Tensor c = s - bigR;
        Tensor root = (c.square() + 4 * bigR * alpha).sqrt();
        Tensor positiveC = c >= 0;
        // c ≥ 0: r = 2Rα/(c + √·); c < 0: r = (√· − c)/2. The unused branch gets a harmless denominator.
        Tensor r = where(positiveC, 2 * bigR * alpha / where(positiveC, c + root, ones_like(c)), (root - c) / 2);
        Tensor z = z0 + ((alpha + r).log() - (r + s).log()).exp().unsqueeze(-1) * diff;
        (_, Tensor logDet) = Push(z, z0, alphaRaw, betaRaw);
        return (z, -logDet);
    }
}
