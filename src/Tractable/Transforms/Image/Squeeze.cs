using static TorchSharp.torch;

namespace Tractable.Transforms.Image;

/// <summary>
/// Space-to-depth: <c>[B, C, H, W] → [B, 4C, H/2, W/2]</c>, each 2×2 block of pixels becoming 4 channels
/// (RealNVP, arXiv:1605.08803, §3.6, Figure 3). A permutation, so log|det J| = 0.
/// </summary>
public sealed class Squeeze : Bijector
{
    /// <summary>A squeeze by a factor of 2.</summary>
    public Squeeze() : base(nameof(Squeeze)) => RegisterComponents();

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        long b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        if (h % 2 != 0 || w % 2 != 0) throw new ArgumentException($"Squeeze needs even height and width, got {h}x{w}.");
        Tensor y = x.reshape(b, c, h / 2, 2, w / 2, 2).permute(0, 1, 3, 5, 2, 4).reshape(b, c * 4, h / 2, w / 2);
        return (y, zeros(b, dtype: x.dtype, device: x.device));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null)
    {
        long b = y.size(0), c = y.size(1) / 4, h = y.size(2), w = y.size(3);
        Tensor x = y.reshape(b, c, 2, 2, h, w).permute(0, 1, 4, 2, 5, 3).reshape(b, c, h * 2, w * 2);
        return (x, zeros(b, dtype: y.dtype, device: y.device));
    }
}
