namespace Tractable.Models.Pixel;

/// <summary>
/// Gated PixelCNN (van den Oord et al. 2016, "Conditional Image Generation with PixelCNN Decoders",
/// arXiv:1606.05328): vertical and horizontal stacks without the blind spot, gated activations, residual connections in
/// the horizontal stack, and optionally a class label as the conditioning vector <c>h</c> (one-hot) or a spatial map
/// <c>s(h)</c> as location-dependent conditioning (§2.3; the decoder of a PixelCNN auto-encoder, §3.4). The defaults
/// are sized for training on 1 CPU thread within the hour.
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

    /// <summary>
    /// Channels <c>K</c> of a spatial conditioning map <c>[B, K, H, W]</c>, passed as the context (0: none). Excludes
    /// <see cref="NumClasses"/>: the context is either a label's one-hot vector or a map.
    /// </summary>
    public int SpatialContextChannels { get; init; }

    /// <inheritdoc />
    public override DensityModel Build() => new GatedPixelCnn(this);
}
