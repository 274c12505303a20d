using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Transforms.Image;

/// <summary>
/// The invertible 1×1 convolution of Glow (arXiv:1807.03039, §3.2): a learned channel mixing
/// <c>y = W x</c> at every pixel, <c>log|det J| = H·W·log|det W|</c> by <c>slogdet</c>. Starts as a random rotation.
/// </summary>
public sealed class Invertible1x1Conv : Bijector
{
    private readonly Parameter weight;

    /// <summary>A 1×1 convolution over <paramref name="channels"/> channels, initialized to a random orthogonal matrix.</summary>
    public Invertible1x1Conv(long channels) : base(nameof(Invertible1x1Conv))
    {
        weight = new Parameter(linalg.qr(randn(channels, channels)).Q.contiguous());
        RegisterComponents();
    }

    /// <summary>The matrix W.</summary>
    public Tensor Weight => weight;

    /// <summary>Applies a channel-mixing matrix at every pixel.</summary>
    internal static Tensor Mix(Tensor x, Tensor matrix) =>
        nn.functional.conv2d(x, matrix.reshape(matrix.size(0), matrix.size(1), 1, 1));

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        (Mix(x, weight), (linalg.slogdet(weight).Item2 * (x.size(2) * x.size(3))).expand(x.size(0)));

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) =>
        (Mix(y, linalg.inv(weight)), (-linalg.slogdet(weight).Item2 * (y.size(2) * y.size(3))).expand(y.size(0)));
}
