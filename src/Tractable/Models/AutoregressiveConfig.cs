using Tractable.Distributions;
using Tractable.Networks;
using Tractable.Transforms;
using Tractable.Transforms.Preprocessing;

namespace Tractable.Models;

/// <summary>
/// What MADE, MAF and IAF models share: the data they model (vectors, or images flattened inside the model), the
/// preprocessing of discrete data, the MADE conditioners and the optional class or context conditioning.
/// </summary>
public abstract record AutoregressiveConfig : ModelConfig, IValidatableConfig
{
    /// <summary>The data dimension D (for images <c>C·H·W</c>).</summary>
    public int Features { get; init; } = 2;

    /// <summary>For image data, the shape <c>[C, H, W]</c> of an example (flattened inside the model); null for vectors.</summary>
    public ImageSize? Image { get; init; }

    /// <inheritdoc />
    public override long[] EventShape => Image is { } s ? [s.Channels, s.Height, s.Width] : [Features];

    /// <inheritdoc />
    [System.Text.Json.Serialization.JsonIgnore] public override int? DiscreteLevels => Levels;

    /// <summary>Values per dimension of discrete data (256 for 8-bit pixels): then the model dequantizes, rescales to
    /// [0, 1) and applies the logit transform, and its log-likelihood is in nats of the discrete data. Null: continuous.</summary>
    public int? Levels { get; init; }

    /// <summary>The logit transform's boundary margin λ (MAF, arXiv:1705.07057, §4.2: λ = 10⁻⁶).</summary>
    public double LogitAlpha { get; init; } = 1e-6;

    /// <summary>Whether a fixed standardization, fitted on the training data, comes first (tables).</summary>
    public bool Standardize { get; init; }

    /// <summary>Features of the context vector (0: unconditional).</summary>
    public int ContextFeatures { get; init; }

    /// <summary>For a class-conditional model, the number of classes: the context is the one-hot label.</summary>
    public int LabelClasses { get; init; }

    /// <summary>Units per hidden layer of each MADE.</summary>
    public int HiddenFeatures { get; init; } = 100;

    /// <summary>Hidden layers per MADE.</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>Hidden non-linearity.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>The first layer's order; later layers reverse the previous order (MAF §4: natural, reversed, natural, …)
    /// or, for <see cref="FeatureOrder.Random"/>, draw a new one from <see cref="OrderSeed"/>.</summary>
    public FeatureOrder Order { get; init; } = FeatureOrder.Natural;

    /// <summary>Seed of random orders (part of the model's identity).</summary>
    public long OrderSeed { get; init; }

    /// <inheritdoc />
    public virtual void Validate()
    {
        ConfigCheck.Width(nameof(Features), Features);
        if (Image is { } image)
        {
            ConfigCheck.Width("image.channels", image.Channels);
            ConfigCheck.Width("image.height", image.Height);
            ConfigCheck.Width("image.width", image.Width);
            if ((long)image.Channels * image.Height * image.Width != Features)
                throw new InvalidConfigException(
                    $"image [{image.Channels}, {image.Height}, {image.Width}] has {(long)image.Channels * image.Height * image.Width} values but features is {Features}.");
        }
        if (Levels is int levels) ConfigCheck.InRange(nameof(Levels), levels, 2, 1 << 16);
        ConfigCheck.InInterval(nameof(LogitAlpha), LogitAlpha, 0, 0.5);
        ConfigCheck.OptionalWidth(nameof(ContextFeatures), ContextFeatures);
        ConfigCheck.OptionalWidth(nameof(LabelClasses), LabelClasses);
        ConfigCheck.Width(nameof(HiddenFeatures), HiddenFeatures);
        ConfigCheck.Layers(nameof(HiddenLayers), HiddenLayers);
        ConfigCheck.Defined(nameof(Activation), Activation);
        ConfigCheck.Defined(nameof(Order), Order);
    }

    /// <inheritdoc />
    public abstract long EstimatedStateSize();

    /// <summary>
    /// The scalars of one MADE with <paramref name="outputsPerFeature"/> outputs per feature: weights and their masks
    /// (a mask is as large as its weight), biases, and the context projections.
    /// </summary>
    protected long MadeSize(long outputsPerFeature)
    {
        long outputs = ConfigCheck.Product(outputsPerFeature, Features);
        return ConfigCheck.Sum(
            ConfigCheck.Product(2L * Features + 1, HiddenFeatures),
            ConfigCheck.Product(HiddenLayers - 1, 2L * HiddenFeatures + 1, HiddenFeatures),
            ConfigCheck.Product(2L * HiddenFeatures + 1, outputs),
            ConfigCheck.Product(ContextFeatures, ConfigCheck.Sum(HiddenFeatures, outputs)));
    }

    /// <summary>The input degrees of autoregressive layer <paramref name="layer"/>.</summary>
    protected int[] DegreesOf(int layer) => Order switch
    {
        FeatureOrder.Random => Made.Degrees(FeatureOrder.Random, Features, OrderSeed + layer),
        _ when layer % 2 == 0 => Made.Degrees(Order, Features),
        FeatureOrder.Natural => Made.Degrees(FeatureOrder.Reversed, Features),
        _ => Made.Degrees(FeatureOrder.Natural, Features),
    };

    /// <summary>A MADE for layer <paramref name="layer"/> producing <paramref name="outputsPerFeature"/> blocks.</summary>
    protected Made CreateMade(int layer, int outputsPerFeature, bool zeroInitOutput = true) =>
        new(Features, outputsPerFeature, HiddenFeatures, HiddenLayers, DegreesOf(layer), ContextFeatures, Activation, zeroInitOutput);

    /// <summary>
    /// The fixed steps from data to the vectors the autoregressive layers see: dequantize, rescale to [0, 1) and
    /// logit for discrete data (their log-dets make the likelihood one of the original data), flatten for images,
    /// standardize for tables.
    /// </summary>
    protected IEnumerable<Bijector> Preprocessing()
    {
        if (Levels is int levels)
        {
            yield return new Dequantize(levels);
            yield return new Rescale(1.0 / levels);
            yield return new Logit(LogitAlpha);
        }
        if (Image is not null) yield return new Flatten(EventShape);
        if (Standardize) yield return new Transforms.Standardize(Features);
    }

    /// <summary>A flow over <paramref name="steps"/> (data side first) and <paramref name="baseDistribution"/>.</summary>
    protected Flow CreateFlow(IEnumerable<Bijector> steps, Distribution? baseDistribution = null) =>
        new(this, new Chain(steps), baseDistribution ?? new StandardNormal(Features)) { LabelClasses = LabelClasses };

    /// <summary>A MADE MoG with <paramref name="components"/> Gaussians per conditional, after <paramref name="layer"/> layers.</summary>
    protected MadeMixture CreateMixture(int layer, int components) =>
        new(CreateMade(layer, 3 * components, zeroInitOutput: false), components);
}

/// <summary>The shape of one image, <c>[C, H, W]</c>.</summary>
/// <param name="Channels">Channels C.</param>
/// <param name="Height">Height H.</param>
/// <param name="Width">Width W.</param>
public sealed record ImageSize(int Channels, int Height, int Width);
