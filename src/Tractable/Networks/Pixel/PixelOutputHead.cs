using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// The output layers of PixelCNN (van den Oord et al. 2016, arXiv:1601.06759, Table 1): ReLU, 1×1 type-B convolution,
/// ReLU, 1×1 type-B convolution to the likelihood's parameters. <c>[B, in, H, W] → [B, out, H, W]</c>.
/// </summary>
public sealed class PixelOutputHead : nn.Module<Tensor, Tensor>
{
    private readonly MaskedConv2d hidden;
    private readonly MaskedConv2d output;

    /// <summary>Builds the head.</summary>
    public PixelOutputHead(long inChannels, long hiddenChannels, long outChannels, int colours) : base(nameof(PixelOutputHead))
    {
        hidden = new MaskedConv2d(inChannels, hiddenChannels, 1, 1, MaskType.B, colours);
        output = new MaskedConv2d(hiddenChannels, outChannels, 1, 1, MaskType.B, colours);
        RegisterComponents();
    }

    /// <summary>The head at one pixel: <c>[B, in] → [B, out]</c>.</summary>
    public Tensor At(Tensor x)
    {
        Tensor h = nn.functional.relu(hidden.At(nn.functional.relu(x).view(x.shape[0], -1, 1, 1), 0, 0));
        return output.At(h.view(h.shape[0], -1, 1, 1), 0, 0);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => output.forward(nn.functional.relu(hidden.forward(nn.functional.relu(x))));
}
