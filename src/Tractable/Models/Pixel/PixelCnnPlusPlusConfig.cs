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
    public override DensityModel Build() => new PixelCnnPlusPlus(this);
}
