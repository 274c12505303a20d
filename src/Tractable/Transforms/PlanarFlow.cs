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
    public Tensor ConstrainedU()
    {
        Tensor wu = w.dot(u);
        Tensor m = -1 + nn.functional.softplus(wu);
        return u + (m - wu) * w / w.square().sum();
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        throw new DirectionNotAvailableException(
            "A planar flow has no closed-form inverse, so log p(x) of a given point cannot be computed; " +
            "fit it by reverse KL to an energy (u1..u4) and use sampling.");

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor z, Tensor? context = null)
    {
        Tensor uHat = ConstrainedU();
        Tensor h = z.matmul(w).add(b).tanh();                     // [B]
        Tensor x = z + h.unsqueeze(1) * uHat;                     // eq. 10
        Tensor psiDotU = (1 - h.square()) * w.dot(uHat);          // ûᵀψ(z), eq. 11
        return (x, (1 + psiDotU).log());                          // eq. 12; positive by the constraint
    }
}
