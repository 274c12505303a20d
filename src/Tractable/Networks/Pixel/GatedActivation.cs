using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>Non-linearities of the gated PixelCNN family and WaveNet.</summary>
public static class GatedActivation
{
    /// <summary>
    /// <c>tanh(f) ⊙ σ(g)</c> for <c>[f, g]</c> = the two channel halves of <paramref name="x"/> <c>[B, 2p, H, W] → [B, p, H, W]</c>
    /// (van den Oord et al. 2016, arXiv:1606.05328, eq. 2). Halving keeps colour groups (colour = channel mod colours).
    /// </summary>
    public static Tensor Gate(Tensor x)
    {
        Tensor[] halves = x.chunk(2, 1);
        return TanhSigmoid(halves[0], halves[1]);
    }

    /// <summary>
    /// <c>tanh(f) ⊙ σ(g)</c>, the gated activation unit (PixelCNN eq. 2; WaveNet, arXiv:1609.03499, eq. 2), computed
    /// as <c>(2σ(2f) − 1) ⊙ σ(g)</c>: the same function (<c>tanh a = 2σ(2a) − 1</c>), but libtorch vectorizes the
    /// sigmoid and not tanh on the CPU (0.8 against 3.4 ms per million elements), so the gate costs half as much.
    /// </summary>
    public static Tensor TanhSigmoid(Tensor filter, Tensor gate)
    {
        Tensor g = gate.sigmoid();
        return ((filter * 2).sigmoid() * g).mul_(2).sub_(g);        // in place only where backward keeps no result
    }

    /// <summary>
    /// concat_elu: <c>elu([x, −x])</c> along channels, <c>[B, c, H, W] → [B, 2c, H, W]</c> (Salimans et al. 2017, arXiv:1701.05517;
    /// openai/pixel-cnn <c>concat_elu</c>).
    /// </summary>
    public static Tensor ConcatElu(Tensor x) => nn.functional.elu(cat([x, -x], 1), 1.0);
}
