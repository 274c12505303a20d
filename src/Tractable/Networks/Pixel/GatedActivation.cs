using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>Non-linearities of the gated PixelCNN family.</summary>
public static class GatedActivation
{
    /// <summary>
    /// <c>tanh(f) ⊙ σ(g)</c> for <c>[f, g]</c> = the two channel halves of <paramref name="x"/> <c>[B, 2p, H, W] → [B, p, H, W]</c>
    /// (van den Oord et al. 2016, arXiv:1606.05328, eq. 2). Halving keeps colour groups (colour = channel mod colours).
    /// </summary>
    public static Tensor Gate(Tensor x)
    {
        Tensor[] halves = x.chunk(2, 1);
        return halves[0].tanh() * halves[1].sigmoid();
    }

    /// <summary>
    /// concat_elu: <c>elu([x, −x])</c> along channels, <c>[B, c, H, W] → [B, 2c, H, W]</c> (Salimans et al. 2017, arXiv:1701.05517;
    /// openai/pixel-cnn <c>concat_elu</c>).
    /// </summary>
    public static Tensor ConcatElu(Tensor x) => nn.functional.elu(cat([x, -x], 1), 1.0);
}
