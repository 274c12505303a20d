using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.Latent;

/// <summary>
/// The gated convolutional encoder of van den Berg et al. 2018 (arXiv:1803.05649, §5 and their code), reused by FFJORD's
/// VAE experiments (Grathwohl et al. 2019, arXiv:1810.01367, Table 3): five 5×5 gated convolutions (32, 32, 64, 64, 64
/// maps; the second and fourth of stride 2) and one over the whole remaining <c>H/4 × W/4</c> map to
/// <see cref="OutputFeatures"/> features. <c>[B, C, H, W] → [B, 256]</c>; H and W must be multiples of 4.
/// </summary>
public sealed class GatedConvEncoder : nn.Module<Tensor, Tensor>
{
    /// <summary>Features of the encoding.</summary>
    public const int OutputFeatures = 256;

    private readonly Sequential body;

    /// <summary>An encoder of <paramref name="colours"/> × <paramref name="height"/> × <paramref name="width"/> images.</summary>
    public GatedConvEncoder(int colours, int height, int width) : base(nameof(GatedConvEncoder))
    {
        if (height % 4 != 0 || width % 4 != 0)
            throw new ArgumentException($"The gated convolutional encoder halves the image twice: height and width must be multiples of 4, not {height}×{width}.");
        body = nn.Sequential(
            GatedConvolution.Conv(colours, 32, (5, 5), 1, 2),
            GatedConvolution.Conv(32, 32, (5, 5), 2, 2),
            GatedConvolution.Conv(32, 64, (5, 5), 1, 2),
            GatedConvolution.Conv(64, 64, (5, 5), 2, 2),
            GatedConvolution.Conv(64, 64, (5, 5), 1, 2),
            GatedConvolution.Conv(64, OutputFeatures, (height / 4, width / 4), 1, 0));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => body.forward(x).flatten(1);   // [B, 256, 1, 1] → [B, 256]
}
