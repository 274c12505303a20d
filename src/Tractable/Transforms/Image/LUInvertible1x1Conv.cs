using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Transforms.Image;

/// <summary>
/// The LU-decomposed invertible 1×1 convolution of Glow (arXiv:1807.03039, §3.2, eq. 10):
/// <c>W = P·L·(U + diag(sign(s)·exp(log|s|)))</c> with P fixed, L unit lower-triangular and U strictly upper-triangular
/// learned, so <c>log|det J| = H·W·Σ log|s|</c> costs O(C) instead of O(C³).
/// </summary>
public sealed class LUInvertible1x1Conv : Bijector
{
    private readonly Tensor permutation;
    private readonly Tensor signS;
    private readonly Tensor lowerMask;
    private readonly Parameter lower;
    private readonly Parameter upper;
    private readonly Parameter logS;

    /// <summary>An LU 1×1 convolution starting from a random rotation, over <paramref name="channels"/> channels.</summary>
    public LUInvertible1x1Conv(long channels) : this(linalg.qr(randn(channels, channels)).Q.contiguous()) { }

    /// <summary>An LU 1×1 convolution whose initial weight is <paramref name="weight"/> (any invertible matrix).</summary>
    public LUInvertible1x1Conv(Tensor weight) : base(nameof(LUInvertible1x1Conv))
    {
        long c = weight.size(0);
        using var _ = no_grad();
        (Tensor p, Tensor l, Tensor u) = linalg.lu(weight.detach().to(float64));
        ScalarType dtype = weight.dtype;
        Tensor s = u.diagonal();
        permutation = p.to(dtype).contiguous();
        signS = s.sign().to(dtype).contiguous();
        lowerMask = ones(c, c, dtype: dtype).tril(-1);
        lower = new Parameter(l.tril(-1).to(dtype).contiguous());
        upper = new Parameter(u.triu(1).to(dtype).contiguous());
        logS = new Parameter(s.abs().log().to(dtype).contiguous());
        RegisterComponents();
    }

    /// <summary>The matrix W = P·L·(U + diag(s)).</summary>
    public Tensor Weight()
    {
        Tensor eye = TorchSharp.torch.eye(lower.size(0), dtype: lower.dtype, device: lower.device);
        Tensor l = lower * lowerMask + eye;
        Tensor u = upper * lowerMask.t() + (signS * logS.exp()).diag();
        return permutation.matmul(l).matmul(u);
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        (Invertible1x1Conv.Mix(x, Weight()), (logS.sum() * (x.size(2) * x.size(3))).expand(x.size(0)));

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) =>
        (Invertible1x1Conv.Mix(y, linalg.inv(Weight())), (-logS.sum() * (y.size(2) * y.size(3))).expand(y.size(0)));
}
