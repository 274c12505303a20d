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
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int SpatialContextChannels { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.Width(nameof(Channels), Channels);
        if (Channels % Colours != 0) throw new InvalidConfigException($"channels must be a multiple of the {Colours} colours, got {Channels}.");
        ConfigCheck.Layers(nameof(Layers), Layers);
        ConfigCheck.InRange(nameof(FirstKernel), FirstKernel, 1, 63);
        ConfigCheck.InRange(nameof(Kernel), Kernel, 1, 63);
        ConfigCheck.Width(nameof(OutputChannels), OutputChannels);
        ConfigCheck.OptionalWidth(nameof(NumClasses), NumClasses);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Per layer: the vertical (k/2 + 1)×k and horizontal 1×(k/2 + 1) convolutions to 2p channels, the 1×1 link
    /// (2p → 2p) and output (p → p), and the class projections; masked convolutions store a mask as large as their weight.
    /// </remarks>
    public override long EstimatedStateSize()
    {
        long p = Channels, k = Kernel;
        long layer = ConfigCheck.Sum(ConfigCheck.Product(4 * p, p, (k / 2 + 1) * (k + 1)), ConfigCheck.Product(6 * p, p),
            ConfigCheck.Product(4 * p, NumClasses));
        return ConfigCheck.Sum(ConfigCheck.Product(Layers, layer), ConfigCheck.Product(2 * OutputChannels, p + LikelihoodChannels));
    }

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        return new GatedPixelCnn(this);
    }
}
