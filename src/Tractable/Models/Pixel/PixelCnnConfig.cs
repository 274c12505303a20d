namespace Tractable.Models.Pixel;

/// <summary>
/// PixelCNN (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", arXiv:1601.06759, §3.5 and Table 1): a 7×7
/// type-A masked convolution, residual blocks of type-B convolutions, and two 1×1 output layers; a Bernoulli per
/// sub-pixel for binary images, a 256-way softmax otherwise, with colour masks (R | context, G | R, B | R, G).
/// </summary>
public sealed record PixelCnnConfig : PixelModelConfig
{
    /// <inheritdoc />
    public override string Name => "pixelcnn";

    /// <summary>Channels <c>h</c> of the residual blocks (the residual stream has <c>2h</c>).</summary>
    public int Channels { get; init; } = 32;

    /// <summary>Number of residual blocks.</summary>
    public int Blocks { get; init; } = 6;

    /// <summary>Size of the first (type-A) kernel.</summary>
    public int FirstKernel { get; init; } = 7;

    /// <summary>Size of the blocks' kernels.</summary>
    public int Kernel { get; init; } = 3;

    /// <summary>Channels of the hidden 1×1 output layer.</summary>
    public int OutputChannels { get; init; } = 64;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.Width(nameof(Channels), Channels);
        ConfigCheck.InRange(nameof(Blocks), Blocks, 0, ModelLimits.MaxLayers);
        ConfigCheck.InRange(nameof(FirstKernel), FirstKernel, 1, 63);
        ConfigCheck.InRange(nameof(Kernel), Kernel, 1, 63);
        ConfigCheck.Width(nameof(OutputChannels), OutputChannels);
    }

    /// <inheritdoc />
    /// <remarks>Masked convolutions store a mask as large as their weight.</remarks>
    public override long EstimatedStateSize()
    {
        long h = Channels;
        long block = ConfigCheck.Product(2 * h, ConfigCheck.Sum(4 * h, ConfigCheck.Product(h, Kernel, Kernel)));
        return ConfigCheck.Sum(ConfigCheck.Product(4L * Colours, h, FirstKernel, FirstKernel), ConfigCheck.Product(Blocks, block),
            ConfigCheck.Product(2 * OutputChannels, 2 * h + LikelihoodChannels));
    }

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        return new PixelCnn(this);
    }
}
