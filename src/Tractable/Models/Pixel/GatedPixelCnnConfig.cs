namespace Tractable.Models.Pixel;

/// <summary>
/// Gated PixelCNN (van den Oord et al. 2016, "Conditional Image Generation with PixelCNN Decoders",
/// arXiv:1606.05328): vertical and horizontal stacks without the blind spot, gated activations, residual connections in
/// the horizontal stack, and optionally a class label as the conditioning vector <c>h</c> (one-hot). The defaults are
/// sized for training on 1 CPU thread within the hour.
/// </summary>
public sealed record GatedPixelCnnConfig : PixelModelConfig
{
    /// <inheritdoc />
    public override string Name => "gated-pixelcnn";

    /// <summary>Channels <c>p</c> of both stacks (a multiple of <see cref="PixelModelConfig.Colours"/>; the CLI rounds up).</summary>
    public int Channels { get; init; } = 32;

    /// <summary>Number of gated layers, the first included.</summary>
    public int Layers { get; init; } = 8;

    /// <summary>Kernel size of the first layer (type A).</summary>
    public int FirstKernel { get; init; } = 7;

    /// <summary>Kernel size of the later layers.</summary>
    public int Kernel { get; init; } = 3;

    /// <summary>Channels of the hidden 1×1 output layer.</summary>
    public int OutputChannels { get; init; } = 64;

    /// <summary>Classes of the label the model conditions on (0: unconditional).</summary>
    public int NumClasses { get; init; }

    /// <inheritdoc />
    public override DensityModel Build() => new GatedPixelCnn(this);
}
