using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// Shifts of feature maps that turn "rows up to i" into "rows before i" (Gated PixelCNN's vertical-to-horizontal link,
/// van den Oord et al. 2016, arXiv:1606.05328, §2.2; openai/pixel-cnn <c>down_shift</c>, <c>right_shift</c>).
/// </summary>
public static class Shifts
{
    /// <summary>Moves every row one down and fills row 0 with zeros: <c>y[:, :, i] = x[:, :, i − 1]</c>.</summary>
    public static Tensor Down(Tensor x) =>
        nn.functional.pad(x, [0, 0, 1, 0]).narrow(2, 0, x.size(2));

    /// <summary>Moves every column one right and fills column 0 with zeros: <c>y[..., j] = x[..., j − 1]</c>.</summary>
    public static Tensor Right(Tensor x) =>
        nn.functional.pad(x, [1, 0, 0, 0]).narrow(3, 0, x.size(3));
}
