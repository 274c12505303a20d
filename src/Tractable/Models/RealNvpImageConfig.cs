using Tractable.Networks;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using Tractable.Transforms.Image;
using Tractable.Transforms.Preprocessing;

namespace Tractable.Models;

/// <summary>
/// Multi-scale RealNVP for images (Dinh et al. 2017, arXiv:1605.08803, §3.6): each level but the last is 3
/// checkerboard couplings → squeeze → 3 channel-wise couplings, then half the channels are factored out with a
/// standard normal prior; the last level is 4 checkerboard couplings. Pixels go to logit space with α = 0.05 (§4.1).
/// Scale and shift come from a small ResNet; <see cref="Paper"/> gives the paper's size.
/// </summary>
/// <remarks>
/// The defaults (1 residual block of 32 channels) are sized for a 2-core CPU: RealNVP's first couplings run at full
/// resolution, so each costs about 16 times a Glow step's coupling at the same width; with 2 blocks of 64 channels a
/// batch of 32 MNIST images took 3.6 s per step against Glow's 0.25 s.
/// </remarks>
public sealed record RealNvpImageConfig : ImageFlowConfig
{
    /// <summary>The defaults for a small CPU.</summary>
    public RealNvpImageConfig() => HiddenChannels = 32;

    /// <inheritdoc />
    public override string Name => "realnvp-image";

    /// <summary>Residual blocks per coupling network.</summary>
    public int ResidualBlocks { get; init; } = 1;

    /// <summary>The paper's CIFAR-10 size: 8 residual blocks of 64 channels.</summary>
    public static RealNvpImageConfig Paper(long[] imageShape) => new() { ImageShape = imageShape, Levels = 3, ResidualBlocks = 8, HiddenChannels = 64 };

    /// <inheritdoc />
    protected override bool LearnedPriors => false;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.InRange(nameof(ResidualBlocks), ResidualBlocks, 0, ModelLimits.MaxLayers);
    }

    /// <inheritdoc />
    protected override (long Size, long[] OutputShape) EstimatedLevelSize(int level, long[] shape)
    {
        // A coupling over k channels: ResNet 3×3 (k → h), blocks of two 3×3 (h → h), 3×3 (h → 2k), and its mask k·H·W.
        long CouplingSize(long k, long height, long width) => ConfigCheck.Sum(ConfigCheck.Product(9 * k + 1, HiddenChannels),
            ConfigCheck.Product(2L * ResidualBlocks, 9L * HiddenChannels + 1, HiddenChannels),
            ConfigCheck.Product(18L * HiddenChannels + 4, k), ConfigCheck.Product(k, height, width));
        if (level == Levels - 1) return (ConfigCheck.Product(4, CouplingSize(shape[0], shape[1], shape[2])), shape);
        long c = 4 * shape[0], h = shape[1] / 2, w = shape[2] / 2;
        return (ConfigCheck.Sum(ConfigCheck.Product(3, CouplingSize(shape[0], shape[1], shape[2])), ConfigCheck.Product(3, CouplingSize(c, h, w))), [c, h, w]);
    }

    /// <inheritdoc />
    protected override Bijector Scaling() => new Chain([new Rescale(1.0 / PixelLevels), new Logit(LogitAlpha)]);

    /// <inheritdoc />
    protected override (IEnumerable<Bijector> steps, long[] outputShape) Level(int level, long[] shape)
    {
        bool last = level == Levels - 1;
        var steps = new List<Bijector>();
        for (int i = 0; i < (last ? 4 : 3); i++)
            steps.Add(Coupling(ImageMasks.Checkerboard(shape[0], shape[1], shape[2], flip: i % 2 == 1), shape[0]));
        if (last) return (steps, shape);
        long c = shape[0] * 4, h = shape[1] / 2, w = shape[2] / 2;
        steps.Add(new Squeeze());
        for (int i = 0; i < 3; i++) steps.Add(Coupling(ImageMasks.ChannelWise(c, h, w, flip: i % 2 == 1), c));
        return (steps, [c, h, w]);
    }

    private MaskedCoupling Coupling(TorchSharp.torch.Tensor mask, long channels) =>
        new(mask, new ResNetConditioner(channels, 2 * channels, HiddenChannels, ResidualBlocks), new AffineMap(ScaleBound.Tanh));
}
