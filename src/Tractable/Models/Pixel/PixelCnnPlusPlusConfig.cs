namespace Tractable.Models.Pixel;

/// <summary>
/// PixelCNN++ (Salimans et al. 2017, arXiv:1701.05517): a discretized logistic mixture likelihood with linear colour
/// dependence, down- and down-right-shifted convolutions, three resolutions with shortcut connections, gated ResNet
/// blocks with concat_elu, and dropout. The paper's CIFAR-10 model has 160 filters, 5 blocks per resolution, 10
/// components and dropout 0.5; the defaults here are small enough to train on a CPU.
/// </summary>
public sealed record PixelCnnPlusPlusConfig : PixelModelConfig
{
    /// <inheritdoc />
    public override string Name => "pixelcnn++";

    /// <summary>Channels of both streams.</summary>
    public int Filters { get; init; } = 32;

    /// <summary>Gated ResNet blocks per resolution (the paper's <c>nr_resnet</c>).</summary>
    public int BlocksPerResolution { get; init; } = 2;

    /// <summary>Logistic mixture components.</summary>
    public int Components { get; init; } = 5;

    /// <summary>Dropout probability inside the blocks (the paper: 0.5).</summary>
    public double Dropout { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.Width(nameof(Filters), Filters);
        ConfigCheck.Layers(nameof(BlocksPerResolution), BlocksPerResolution);
        ConfigCheck.InRange(nameof(Components), Components, 1, ModelLimits.MaxLayers);
        ConfigCheck.InInterval(nameof(Dropout), Dropout, 0, 1);
    }

    /// <inheritdoc />
    /// <remarks>
    /// 12B + 4 gated blocks over the three resolutions (B per resolution on the way up, B, B + 1, B + 1 on the way
    /// down, in both streams), each about 40 f² (two 2×3 convolutions and a 1×1 shortcut), plus resizing convolutions.
    /// </remarks>
    public override long EstimatedStateSize()
    {
        long f = Filters;
        long blocks = ConfigCheck.Sum(ConfigCheck.Product(12, BlocksPerResolution), 4);
        long mixture = ConfigCheck.Product(Components, 1 + 2L * Colours + Colours * (Colours - 1L) / 2);
        return ConfigCheck.Sum(ConfigCheck.Product(blocks, 40 * f, f), ConfigCheck.Product(24 * f, f), ConfigCheck.Product(f + 1, mixture));
    }

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        return new PixelCnnPlusPlus(this);
    }
}
