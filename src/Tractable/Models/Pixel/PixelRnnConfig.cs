namespace Tractable.Models.Pixel;

/// <summary>
/// PixelRNN (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", arXiv:1601.06759, §3 and Table 1): a 7×7
/// type-A masked convolution to <c>2h</c> channels, residual Row LSTM or Diagonal BiLSTM layers with <c>h</c>-channel
/// states, and two 1×1 type-B output layers; a Bernoulli per sub-pixel for binary images, a 256-way softmax otherwise,
/// with colour masks (R | context, G | R, B | R, G). Optionally conditioned on a class label (one-hot), added to the
/// LSTM gates as in Gated PixelCNN. The paper's binarized-MNIST model is a 7-layer Diagonal BiLSTM; the defaults keep
/// its depth with a small state, sized for training on 1–2 CPU threads.
/// </summary>
public sealed record PixelRnnConfig : PixelModelConfig
{
    /// <inheritdoc />
    public override string Name => Variant == PixelRnnVariant.RowLstm ? "row-lstm" : "diagonal-bilstm";

    /// <summary>Which recurrent layer the model stacks.</summary>
    public PixelRnnVariant Variant { get; init; } = PixelRnnVariant.DiagonalBiLstm;

    /// <summary>Number of recurrent layers.</summary>
    public int Layers { get; init; } = 7;

    /// <summary>Channels <c>h</c> of each LSTM state (a multiple of <see cref="PixelModelConfig.Colours"/>); the residual stream has <c>2h</c>.</summary>
    public int HiddenChannels { get; init; } = 16;

    /// <summary>Size of the first (type-A) kernel.</summary>
    public int FirstKernel { get; init; } = 7;

    /// <summary>Channels of the hidden 1×1 output layer.</summary>
    public int OutputChannels { get; init; } = 64;

    /// <summary>Classes of the label the model conditions on (0: unconditional).</summary>
    public int NumClasses { get; init; }

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        return new PixelRnn(this);
    }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.Defined(nameof(Variant), Variant);
        ConfigCheck.Layers(nameof(Layers), Layers);
        ConfigCheck.Width(nameof(HiddenChannels), HiddenChannels);
        if (HiddenChannels % Colours != 0)
            throw new InvalidConfigException($"hidden_channels must be a multiple of the {Colours} colours, got {HiddenChannels}.");
        ConfigCheck.InRange(nameof(FirstKernel), FirstKernel, 1, 63);
        ConfigCheck.Width(nameof(OutputChannels), OutputChannels);
        ConfigCheck.OptionalWidth(nameof(NumClasses), NumClasses);
    }

    /// <inheritdoc />
    /// <remarks>Per layer: the LSTM's four gates from input and state (both directions for the Diagonal BiLSTM) and a 1×1 projection.</remarks>
    public override long EstimatedStateSize()
    {
        long h = HiddenChannels, directions = Variant == PixelRnnVariant.DiagonalBiLstm ? 2 : 1;
        long layer = ConfigCheck.Sum(ConfigCheck.Product(directions, 4 * h, 2 * h, 3), ConfigCheck.Product(2 * h, 2 * h), ConfigCheck.Product(8 * h, NumClasses));
        return ConfigCheck.Sum(ConfigCheck.Product(Colours, 2 * h, FirstKernel, FirstKernel), ConfigCheck.Product(Layers, layer),
            ConfigCheck.Product(2 * OutputChannels, 2 * h + LikelihoodChannels));
    }
}
