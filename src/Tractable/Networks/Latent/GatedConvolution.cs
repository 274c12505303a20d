using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.Latent;

/// <summary>
/// A gated convolution <c>y = (W_h ∗ x + b_h) ⊙ σ(W_g ∗ x + b_g)</c> (Dauphin et al. 2017, arXiv:1612.08083, eq. 1), the
/// layer of the VAE encoders and decoders of van den Berg et al. 2018 (arXiv:1803.05649, §5). One convolution makes both
/// halves, which the gated linear unit splits along the channels.
/// </summary>
public sealed class GatedConvolution : nn.Module<Tensor, Tensor>
{
    private readonly Convolution conv;

    private GatedConvolution(Convolution conv) : base(nameof(GatedConvolution))
    {
        this.conv = conv;
        RegisterComponents();
    }

    /// <summary>A gated convolution of <paramref name="inChannels"/> → <paramref name="outChannels"/> maps.</summary>
    public static GatedConvolution Conv(long inChannels, long outChannels, (long, long) kernel, long stride, long padding) =>
        new(nn.Conv2d(inChannels, 2 * outChannels, kernel, stride: (stride, stride), padding: (padding, padding)));

    /// <summary>A gated transposed convolution (upsampling by <paramref name="stride"/>).</summary>
    public static GatedConvolution Transposed(long inChannels, long outChannels, (long, long) kernel, long stride, long padding, long outputPadding = 0) =>
        new(nn.ConvTranspose2d(inChannels, 2 * outChannels, kernel, stride: (stride, stride), padding: (padding, padding),
            output_padding: (outputPadding, outputPadding)));

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => nn.functional.glu(ChannelsLastConvolution.Forward(conv, x), 1);
}
