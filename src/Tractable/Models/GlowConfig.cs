using System.Text.Json.Serialization;
using Tractable.Networks;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using Tractable.Transforms.Image;
using Tractable.Transforms.Preprocessing;

namespace Tractable.Models;

/// <summary>
/// Glow (Kingma &amp; Dhariwal 2018, arXiv:1807.03039): L levels of squeeze → K steps of
/// (ActNorm → invertible 1×1 convolution → affine coupling), factoring out half the channels with a learned
/// conditional prior after each level but the last. Defaults are sized for 2 CPU cores; <see cref="Paper"/> gives the
/// paper's size.
/// </summary>
public sealed record GlowConfig : ImageFlowConfig, IJsonOnDeserializing
{
    private CouplingLayout couplingLayout = CouplingLayout.Split;

    /// <inheritdoc />
    public override string Name => "glow";

    /// <summary>Flow steps per level (K).</summary>
    public int StepsPerLevel { get; init; } = 8;

    /// <summary>Whether the 1×1 convolution is LU-decomposed (else the plain form with slogdet).</summary>
    public bool LuDecomposed { get; init; } = true;

    /// <summary>Coupling map: affine (sigmoid-bounded scale, as Glow's code) or additive.</summary>
    public CouplingMap Coupling { get; init; } = CouplingMap.Affine;

    /// <summary>
    /// What each coupling's network reads and writes: <see cref="Models.CouplingLayout.Split"/> (the paper's, the default
    /// for new models) or <see cref="Models.CouplingLayout.Masked"/>. A saved configuration without this property was
    /// written before it existed and reads as <see cref="Models.CouplingLayout.Masked"/>, so its weights still load.
    /// </summary>
    /// <remarks>Written only when it is not the old layout, so configurations written before it read back unchanged.</remarks>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public CouplingLayout CouplingLayout { get => couplingLayout; init => couplingLayout = value; }

    /// <summary>
    /// Pixel preprocessing after dequantization: <c>logit</c> (the default: RealNVP's logit transform with
    /// <see cref="ImageFlowConfig.LogitAlpha"/>) or <c>centered</c> (Glow's code: scaled to [−0.5, 0.5)). On MNIST the
    /// logit space trains markedly faster on a CPU budget: the all-black background's dequantization cells become
    /// relatively wider and the data less concentrated at one edge (docs/image-flows.md).
    /// </summary>
    public ImagePreprocessing Preprocessing { get; init; } = ImagePreprocessing.Logit;

    /// <summary>The paper's size for CIFAR-10-like data: L = 3, K = 32, 512 hidden channels.</summary>
    public static GlowConfig Paper(long[] imageShape) =>
        new() { ImageShape = imageShape, Levels = 3, StepsPerLevel = 32, HiddenChannels = 512, Preprocessing = ImagePreprocessing.Centered };

    /// <inheritdoc />
    protected override bool LearnedPriors => true;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.Layers(nameof(StepsPerLevel), StepsPerLevel);
        ConfigCheck.Defined(nameof(Coupling), Coupling);
        ConfigCheck.Defined(nameof(Preprocessing), Preprocessing);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Per step: ActNorm 2c, the LU 1×1 convolution 4c² (with its permutation and mask buffers), the conditioner
    /// 3×3 (c → h), 1×1 (h → h) and 3×3 (h → 2c), and the coupling's mask c·H·W.
    /// </remarks>
    protected override (long Size, long[] OutputShape) EstimatedLevelSize(int level, long[] shape)
    {
        long c = 4 * shape[0], h = shape[1] / 2, w = shape[2] / 2, hidden = HiddenChannels;
        long step = ConfigCheck.Sum(ConfigCheck.Product(4 * c + 4, c), ConfigCheck.Product(9 * c + hidden + 2, hidden),
            ConfigCheck.Product(18 * hidden + 4, c), ConfigCheck.Product(c, h, w));
        return (ConfigCheck.Product(StepsPerLevel, step), [c, h, w]);
    }

    /// <inheritdoc />
    protected override Bijector Scaling() => Preprocessing switch
    {
        ImagePreprocessing.Logit => new Chain([new Rescale(1.0 / PixelLevels), new Logit(LogitAlpha)]),
        ImagePreprocessing.Centered => new Rescale(1.0 / PixelLevels, -0.5),
        _ => throw new ArgumentOutOfRangeException(nameof(Preprocessing), Preprocessing, "Not an image preprocessing."),
    };

    /// <inheritdoc />
    protected override (IEnumerable<Bijector> steps, long[] outputShape) Level(int level, long[] shape)
    {
        long c = shape[0] * 4, h = shape[1] / 2, w = shape[2] / 2;
        var steps = new List<Bijector> { new Squeeze() };
        ElementwiseMap map = ElementwiseMap.Create(Coupling, ScaleBound.Sigmoid);
        for (int k = 0; k < StepsPerLevel; k++)
        {
            steps.Add(new ActNorm(c));
            steps.Add(LuDecomposed ? new LUInvertible1x1Conv(c) : new Invertible1x1Conv(c));
            steps.Add(CouplingLayout switch
            {
                CouplingLayout.Split => new SplitCoupling(c / 2, new GlowConditioner(c / 2, map.ParametersPerElement * (c - c / 2), HiddenChannels), map),
                _ => new MaskedCoupling(ImageMasks.ChannelWise(c, h, w, flip: false), new GlowConditioner(c, map.ParametersPerElement * c, HiddenChannels), map),
            });
        }
        return (steps, [c, h, w]);
    }

    /// <summary>Reading a saved configuration starts from the layout models had before the property existed.</summary>
    void IJsonOnDeserializing.OnDeserializing() => couplingLayout = CouplingLayout.Masked;
}
