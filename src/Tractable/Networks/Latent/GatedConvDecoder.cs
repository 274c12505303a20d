using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.Latent;

/// <summary>
/// The gated convolutional decoder of van den Berg et al. 2018 (arXiv:1803.05649, §5 and their code): the latent vector
/// as a 1×1 map, a gated transposed convolution to <c>H/4 × W/4</c> × 64, then 5×5 gated transposed convolutions (64, 32,
/// 32, 32, 32 maps; the second and fourth upsample by 2) and a 1×1 convolution to the requested channels.
/// <c>[B, latent] → [B, outChannels, H, W]</c>.
/// </summary>
public sealed class GatedConvDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Sequential body;
    private readonly Conv2d output;

    /// <summary>A decoder from <paramref name="latent"/> features to <paramref name="outChannels"/> maps of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public GatedConvDecoder(int latent, int outChannels, int height, int width) : base(nameof(GatedConvDecoder))
    {
        if (height % 4 != 0 || width % 4 != 0)
            throw new ArgumentException($"The gated convolutional decoder doubles the map twice: height and width must be multiples of 4, not {height}×{width}.");
        body = nn.Sequential(
            GatedConvolution.Transposed(latent, 64, (height / 4, width / 4), 1, 0),
            GatedConvolution.Transposed(64, 64, (5, 5), 1, 2),
            GatedConvolution.Transposed(64, 32, (5, 5), 2, 2, outputPadding: 1),
            GatedConvolution.Transposed(32, 32, (5, 5), 1, 2),
            GatedConvolution.Transposed(32, 32, (5, 5), 2, 2, outputPadding: 1),
            GatedConvolution.Transposed(32, 32, (5, 5), 1, 2));
        output = nn.Conv2d(32, outChannels, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor z) => output.forward(body.forward(z.view(z.size(0), z.size(1), 1, 1)));
}
