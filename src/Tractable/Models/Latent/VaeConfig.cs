using System.Text.Json.Serialization;
using Tractable.Distributions.Pixels;
using Tractable.Models.Latent.Decoders;
using Tractable.Models.Pixel;
using Tractable.Networks;
using Tractable.Networks.Latent;
using Tractable.Transforms;
using Tractable.Transforms.Amortized;
using Tractable.Transforms.Elementwise;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models.Latent;

/// <summary>
/// A variational auto-encoder (Kingma &amp; Welling 2014, arXiv:1312.6114) whose diagonal Gaussian posterior is refined
/// by <see cref="FlowSteps"/> flow steps (Rezende &amp; Mohamed 2015, arXiv:1505.05770; Kingma et al. 2016,
/// arXiv:1606.04934), with prior N(0, I) and a decoder chosen by <see cref="Decoder"/>. Images hold raw levels
/// <c>0..L−1</c> <c>[C, H, W]</c>; real vectors (<see cref="Features"/> &gt; 0) take the Gaussian decoder. The defaults
/// (fully connected networks of 300 units, 32 latent dimensions, binary 28×28 images) train on 2 cores in well under
/// 4 GB; <see cref="Paper"/> gives the gated convolutional networks of van den Berg et al. 2018.
/// </summary>
public sealed record VaeConfig : ModelConfig
{
    /// <inheritdoc />
    public override string Name => "vae";

    /// <summary>Image channels.</summary>
    public int Colours { get; init; } = 1;

    /// <summary>Image rows.</summary>
    public int Height { get; init; } = 28;

    /// <summary>Image columns.</summary>
    public int Width { get; init; } = 28;

    /// <summary>Values per sub-pixel (2 for binary images, 256 for 8-bit).</summary>
    public int Levels { get; init; } = 2;

    /// <inheritdoc />
    /// <remarks>Images only: their samples are pixel levels, and their figures are reported per dimension too.</remarks>
    [System.Text.Json.Serialization.JsonIgnore] public override int? DiscreteLevels => Features == 0 ? Levels : null;

    /// <summary>For real vectors, their dimension (with <see cref="DecoderKind.Gaussian"/>); 0 for images.</summary>
    public int Features { get; init; }

    /// <inheritdoc />
    [JsonIgnore] public override long[] EventShape => Features > 0 ? [Features] : [Colours, Height, Width];

    /// <summary>Latent dimensions D.</summary>
    public int Latent { get; init; } = 32;

    /// <summary>The kind of steps that refine the diagonal Gaussian posterior.</summary>
    public PosteriorFlow Posterior { get; init; } = PosteriorFlow.None;

    /// <summary>Number K of posterior steps (0: the diagonal Gaussian alone, whatever <see cref="Posterior"/> says).</summary>
    public int FlowSteps { get; init; }

    /// <summary>IAF: features of the encoder's context <c>h</c>, shared by every step (Kingma et al. 2016, §4).</summary>
    public int IafContextFeatures { get; init; } = 64;

    /// <summary>IAF: units of each step's one-hidden-layer MADE.</summary>
    public int IafHiddenFeatures { get; init; } = 128;

    /// <summary>The encoder and decoder networks.</summary>
    public VaeArchitecture Architecture { get; init; } = VaeArchitecture.Mlp;

    /// <summary>MLP: units per hidden layer of the encoder and of the decoder.</summary>
    public int HiddenFeatures { get; init; } = 300;

    /// <summary>MLP: hidden layers of the encoder and of the decoder (0: linear maps).</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>MLP: the hidden non-linearity.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>The observation model <c>p(x|z)</c>.</summary>
    public DecoderKind Decoder { get; init; } = DecoderKind.Bernoulli;

    /// <summary>Discretized logistic decoder: mixture components per pixel.</summary>
    public int LogisticComponents { get; init; } = 1;

    /// <summary>Gated PixelCNN decoder: channels of the conditioning map <c>s(z)</c>.</summary>
    public int ConditionChannels { get; init; } = 8;

    /// <summary>Gated PixelCNN decoder: gated layers.</summary>
    public int PixelCnnLayers { get; init; } = 4;

    /// <summary>Gated PixelCNN decoder: channels of both stacks (a multiple of <see cref="Colours"/>).</summary>
    public int PixelCnnChannels { get; init; } = 32;

    /// <summary>
    /// Samples k of the importance-weighted estimate that <see cref="DensityModel.LogProb"/> returns (Burda et al. 2016,
    /// arXiv:1509.00519): a stochastic lower bound on log p(x) that tightens as k grows.
    /// </summary>
    public int ImportanceSamples { get; init; } = 100;

    /// <summary>Training: steps over which the KL term's weight β rises from 0 to 1 (KL warm-up; 0: β = 1 from the start).</summary>
    public int KlWarmupSteps { get; init; }

    /// <summary>Training: free bits λ, nats per latent dimension below which the KL term is not pushed down (Kingma et al. 2016, eq. 15).</summary>
    public double FreeBits { get; init; }

    /// <summary>
    /// The gated convolutional VAE of van den Berg et al. 2018 (arXiv:1803.05649, §5), the setting of FFJORD's Table 3:
    /// 64 latent dimensions, and for IAF a context and MADE of 320 units, on binary 28×28 images.
    /// </summary>
    public static VaeConfig Paper() => new()
    {
        Architecture = VaeArchitecture.GatedConv, Latent = 64, IafContextFeatures = 320, IafHiddenFeatures = 320,
    };

    /// <summary>
    /// This configuration fitted to data of one example's shape <paramref name="eventShape"/> with
    /// <paramref name="levels"/> values per dimension (null: continuous): vectors get the Gaussian decoder, images with
    /// more than 2 levels the discretized logistic instead of a Bernoulli.
    /// </summary>
    public VaeConfig ForData(long[] eventShape, int? levels) => eventShape.Length switch
    {
        1 when levels is null => this with { Features = (int)eventShape[0], Decoder = DecoderKind.Gaussian },
        3 when levels is int l => this with
        {
            Features = 0, Colours = (int)eventShape[0], Height = (int)eventShape[1], Width = (int)eventShape[2], Levels = l,
            Decoder = Decoder == DecoderKind.Bernoulli && l > 2 ? DecoderKind.DiscretizedLogistic : Decoder,
        },
        _ => throw new ArgumentException(
            $"A VAE models real vectors or discrete images [C, H, W], not {(levels is null ? "continuous" : "discrete")} examples of shape [{string.Join(", ", eventShape)}]."),
    };

    /// <inheritdoc />
    public override DensityModel Build()
    {
        Validate();
        return new Vae(this);
    }

    /// <summary>Checks the settings, with messages that name the field.</summary>
    public void Validate()
    {
        if (Latent < 1) throw new InvalidConfigException($"Latent must be at least 1, got {Latent}.");
        if (FlowSteps < 0) throw new InvalidConfigException($"FlowSteps cannot be negative, got {FlowSteps}.");
        if (FlowSteps > 0 && Posterior == PosteriorFlow.None)
            throw new InvalidConfigException($"FlowSteps = {FlowSteps} needs a Posterior flow (planar, radial or iaf).");
        if (ImportanceSamples < 1) throw new InvalidConfigException($"ImportanceSamples must be at least 1, got {ImportanceSamples}.");
        if (Posterior == PosteriorFlow.Iaf && (IafContextFeatures < 1 || IafHiddenFeatures < 1))
            throw new InvalidConfigException("IafContextFeatures and IafHiddenFeatures must be at least 1.");
        if (Features > 0 != (Decoder == DecoderKind.Gaussian))
            throw new InvalidConfigException(Features > 0
                ? $"Real vectors (Features = {Features}) take the Gaussian decoder, not {Decoder}."
                : "The Gaussian decoder models real vectors: set Features.");
        if (Features > 0 && Architecture != VaeArchitecture.Mlp)
            throw new InvalidConfigException($"The {Architecture} architecture models images; real vectors take Mlp.");
        if (Features == 0 && (Colours < 1 || Height < 1 || Width < 1 || Levels < 2))
            throw new InvalidConfigException($"Images need Colours, Height, Width ≥ 1 and Levels ≥ 2, got {Colours}×{Height}×{Width} with {Levels} levels.");
        if (Decoder == DecoderKind.Bernoulli && Levels != 2)
            throw new InvalidConfigException($"The Bernoulli decoder models binary images; these have {Levels} levels (use Categorical or DiscretizedLogistic).");
        if (Decoder == DecoderKind.DiscretizedLogistic && LogisticComponents < 1)
            throw new InvalidConfigException($"LogisticComponents must be at least 1, got {LogisticComponents}.");
        if (Decoder == DecoderKind.GatedPixelCnn && (ConditionChannels < 1 || PixelCnnLayers < 1 || PixelCnnChannels % Colours != 0))
            throw new InvalidConfigException($"The Gated PixelCNN decoder needs ConditionChannels, PixelCnnLayers ≥ 1 and PixelCnnChannels a multiple of the {Colours} colours.");
        if (Architecture == VaeArchitecture.Mlp && HiddenLayers < 0) throw new InvalidConfigException($"HiddenLayers cannot be negative, got {HiddenLayers}.");
    }

    /// <summary>Features of the context the encoder emits for the posterior steps (0 without steps).</summary>
    [JsonIgnore]
    public int PosteriorContextFeatures => FlowSteps == 0 ? 0 : Posterior switch
    {
        PosteriorFlow.Planar => FlowSteps * AmortizedPlanar.ContextSize(Latent),
        PosteriorFlow.Radial => FlowSteps * AmortizedRadial.ContextSize(Latent),
        PosteriorFlow.Iaf => IafContextFeatures,
        _ => 0,
    };

    /// <summary>
    /// The posterior steps as one bijector whose inverse (noise to data) takes <c>z₀ → z_K</c>, given the encoder's
    /// context <c>[B, <see cref="PosteriorContextFeatures"/>]</c>; null without steps. Planar and radial steps each read
    /// their own columns of the context; IAF steps share <c>h</c> and alternate their MADE's order (Kingma et al. 2016, §4).
    /// </summary>
    public Bijector? CreatePosteriorFlow()
    {
        if (FlowSteps == 0) return null;
        var steps = new List<Bijector>();
        for (int k = 0; k < FlowSteps; k++)
        {
            steps.Add(Posterior switch
            {
                PosteriorFlow.Planar => new ContextSlice(new AmortizedPlanar(Latent), k * AmortizedPlanar.ContextSize(Latent), AmortizedPlanar.ContextSize(Latent)),
                PosteriorFlow.Radial => new ContextSlice(new AmortizedRadial(Latent), k * AmortizedRadial.ContextSize(Latent), AmortizedRadial.ContextSize(Latent)),
                PosteriorFlow.Iaf => new InverseBijector(new MaskedAutoregressive(
                    new Made(Latent, 2, IafHiddenFeatures, 1, Made.Degrees(k % 2 == 0 ? FeatureOrder.Natural : FeatureOrder.Reversed, Latent),
                        IafContextFeatures, Networks.Activation.Elu),
                    new SigmoidGatedMap())),
                _ => throw new ArgumentException($"Unknown posterior flow {Posterior}."),
            });
        }
        // A chain lists its steps data side first and its inverse runs them from the last: step 1 acts on z₀ first.
        steps.Reverse();
        return new Chain(steps);
    }

    /// <summary>The encoder: prepared examples <c>[B, ...]</c> → <c>[B, 2D + A]</c> (means, log standard deviations, step context).</summary>
    public nn.Module<Tensor, Tensor> CreateEncoder()
    {
        int outFeatures = 2 * Latent + PosteriorContextFeatures;
        int inFeatures = (int)EventShape.Aggregate(1L, (a, b) => a * b);
        return Architecture == VaeArchitecture.Mlp
            ? new MlpCoder(inFeatures, [outFeatures], HiddenFeatures, HiddenLayers, Activation)
            : nn.Sequential(new GatedConvEncoder(Colours, Height, Width), nn.Linear(GatedConvEncoder.OutputFeatures, outFeatures));
    }

    /// <summary>The decoder <c>p(x|z)</c>.</summary>
    public LatentDecoder CreateDecoder()
    {
        switch (Decoder)
        {
            case DecoderKind.Gaussian:
                return new GaussianDecoder(new MlpCoder(Latent, [Features], HiddenFeatures, HiddenLayers, Activation), Features);
            case DecoderKind.GatedPixelCnn:
                var pixelCnn = new GatedPixelCnn(new GatedPixelCnnConfig
                {
                    Colours = Colours, Height = Height, Width = Width, Levels = Levels, Channels = PixelCnnChannels,
                    Layers = PixelCnnLayers, SpatialContextChannels = ConditionChannels,
                });
                return new PixelCnnDecoder(ImageNetwork(ConditionChannels), pixelCnn);
            default:
                PixelLikelihood likelihood = Decoder switch
                {
                    DecoderKind.Bernoulli => new BernoulliPixels(Colours),
                    DecoderKind.Categorical => new CategoricalPixels(Colours, Levels),
                    _ => new DiscretizedLogisticMixture(Colours, Levels, LogisticComponents),
                };
                return new FactorizedPixelDecoder(ImageNetwork(likelihood.ParameterChannels), likelihood);
        }
    }

    /// <summary>A network from z to <paramref name="channels"/> maps of the image's size.</summary>
    private nn.Module<Tensor, Tensor> ImageNetwork(int channels) => Architecture == VaeArchitecture.Mlp
        ? new MlpCoder(Latent, [channels, Height, Width], HiddenFeatures, HiddenLayers, Activation)
        : new GatedConvDecoder(Latent, channels, Height, Width);
}
