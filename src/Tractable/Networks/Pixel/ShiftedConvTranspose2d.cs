using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// PixelCNN++'s causal ×2 upsampling (Salimans et al. 2017, arXiv:1701.05517; openai/pixel-cnn
/// <c>down_shifted_deconv2d</c> / <c>down_right_shifted_deconv2d</c>): a stride-2 transposed convolution with a
/// <c>2 × 3</c> (down-shifted) or <c>2 × 2</c> (down-right-shifted) kernel, cropped so that the output keeps the
/// causal alignment. <c>[B, in, H, W] → [B, out, 2H, 2W]</c>.
/// </summary>
public sealed class ShiftedConvTranspose2d : nn.Module<Tensor, Tensor>
{
    private readonly ConvTranspose2d deconv;
    private readonly int firstColumn;

    /// <summary>Builds the layer; <paramref name="rightShifted"/> picks the down-right-shifted kernel.</summary>
    public ShiftedConvTranspose2d(long inChannels, long outChannels, bool rightShifted) : base(nameof(ShiftedConvTranspose2d))
    {
        int kw = rightShifted ? 2 : 3;
        deconv = nn.ConvTranspose2d(inChannels, outChannels, (2, kw), stride: (2, 2));
        firstColumn = (kw - 1) / 2;
        RegisterComponents();
    }

    /// <summary>Output channels.</summary>
    public long OutChannels => deconv.out_channels;

    /// <summary>Kernel columns (3 down-shifted, 2 down-right-shifted).</summary>
    public int KernelWidth => (int)deconv.kernel_size[1];

    /// <summary>Columns cropped on the left of the transposed convolution's output.</summary>
    public int FirstColumn => firstColumn;

    /// <summary>The transposed convolution before the crop, <c>[B, in, H, W] → [B, out, 2H, 2W + kw − 2]</c>.</summary>
    public Tensor Uncropped(Tensor x) => ChannelsLastConvolution.Forward(deconv, x);

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        Tensor y = Uncropped(x);
        return y.narrow(2, 0, 2 * x.size(2)).narrow(3, firstColumn, 2 * x.size(3));
    }
}
