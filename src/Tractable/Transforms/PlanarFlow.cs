using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// The planar flow of Rezende &amp; Mohamed 2015 (arXiv:1505.05770, eq. 10–12) in the noise-to-data direction:
/// <c>f(z) = z + û·tanh(wᵀz + b)</c>, <c>log|det ∂f/∂z| = log(1 + ûᵀψ(z))</c> with <c>ψ = tanh'(wᵀz + b)·w</c>.
/// </summary>
/// <remarks>
/// Invertibility needs <c>wᵀû ≥ −1</c>; the paper's reparameterization (Appendix A.1)
/// <c>û = u + (m(wᵀu) − wᵀu)·w/‖w‖²</c> with <c>m(a) = −1 + softplus(a)</c> gives <c>wᵀû &gt; −1</c>, hence
/// <c>1 + ûᵀψ &gt; 0</c>. There is no closed-form inverse, so the forward (data-to-noise) direction throws:
/// planar flows are fitted by reverse KL, sampling from the base and pushing forward.
/// </remarks>
public sealed class PlanarFlow : Bijector
{
    private readonly Parameter u;
    private readonly Parameter w;
    private readonly Parameter b;

    /// <summary>A planar layer over <paramref name="features"/> dimensions, initialized near the identity.</summary>
    public PlanarFlow(int features) : base(nameof(PlanarFlow))
    {
        u = new Parameter(randn(features) * 0.1);
        w = new Parameter(randn(features) * 0.1);
        b = new Parameter(zeros(1));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override BijectorDirections Directions => BijectorDirections.Inverse;

    /// <summary>The constrained û, with <c>wᵀû &gt; −1</c>.</summary>
    public Tensor ConstrainedU() => ConstrainU(u, w);

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        throw new DirectionNotAvailableException(
            "A planar flow has no closed-form inverse, so log p(x) of a given point cannot be computed; " +
            "fit it by reverse KL to an energy (u1..u4) and use sampling.");

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor z, Tensor? context = null) => Push(z, u, w, b);

    /// <summary>
    /// <c>û = u + (m(wᵀu) − wᵀu)·w/‖w‖²</c>, <c>m(a) = −1 + softplus(a)</c> (Appendix A.1), so <c>wᵀû = m(wᵀu) &gt; −1</c>
    /// for any raw <paramref name="u"/>, <paramref name="w"/>: <c>[D]</c> (shared) or <c>[B, D]</c> (per example).
    /// At <c>w = 0</c> the map is a shift and any û is invertible: û = u there (and no division by zero).
    /// </summary>
    public static Tensor ConstrainU(Tensor u, Tensor w)
    {
        Tensor wu = (w * u).sum(-1, keepdim: true);
        Tensor wNormSquared = w.square().sum(-1, keepdim: true);
        Tensor safeNorm = where(wNormSquared > 0, wNormSquared, ones_like(wNormSquared));
        return u + (nn.functional.softplus(wu) - 1 - wu) / safeNorm * w;
    }

    /// <summary>
    /// <c>f(z) = z + û·tanh(wᵀz + b)</c> and <c>log|det ∂f/∂z|</c> for raw parameters, shared (<c>u, w</c> <c>[D]</c>,
    /// <c>b</c> <c>[1]</c>) or per example (<c>[B, D]</c> and <c>[B]</c>, as amortized by an encoder); <c>z</c> <c>[B, D]</c>.
    /// </summary>
    /// <remarks>
    /// The determinant <c>1 + ûᵀψ = 1 + (1 − h²)·wᵀû</c> (eq. 11–12) is computed from the constraint's exact value
    /// <c>wᵀû = −1 + softplus(wᵀu)</c> as <c>h² + (1 − h²)·softplus(wᵀu)</c>, a sum of non-negative terms: it stays
    /// positive in floating point even where <c>wᵀu</c> is large and negative, where a computed <c>wᵀû</c> could round
    /// below −1.
    /// </remarks>
    public static (Tensor x, Tensor logAbsDet) Push(Tensor z, Tensor u, Tensor w, Tensor b)
    {
        Tensor uHat = ConstrainU(u, w);
        Tensor h = ((z * w).sum(-1) + b).tanh();                  // [B]
        Tensor x = z + h.unsqueeze(-1) * uHat;                    // eq. 10
        Tensor softplusWu = nn.functional.softplus((w * u).sum(-1));
        Tensor hSquared = h.square();
        Tensor determinant = where(w.square().sum(-1) > 0, hSquared + (1 - hSquared) * softplusWu, ones_like(hSquared));
        return (x, determinant.log());
    }
}
