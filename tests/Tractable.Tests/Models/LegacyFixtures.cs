using System.Runtime.CompilerServices;
using Tractable.Distributions;
using Tractable.IO;
using Tractable.Models;
using Tractable.Models.MultiScale;
using Tractable.Models.Pixel;
using Tractable.Networks;
using Tractable.Tests.Support;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using Tractable.Transforms.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Models;

/// <summary>
/// Saved models in the format of an earlier release (written at commit 59cdb70, when settings were strings), with
/// inputs and the log-probabilities that release computed for them. Each fixture is a folder
/// <c>Fixtures/legacy/NAME</c> holding <c>model.json</c>, <c>model.bin</c> and <c>expected.json</c>.
/// </summary>
public static class LegacyFixtures
{
    /// <summary>The folder of the fixtures in the test output.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "legacy");

    /// <summary>The tiny models the fixtures hold, with the inputs each is scored on.</summary>
    public static readonly Dictionary<string, LegacyCase> Cases = new()
    {
        ["realnvp-random-tanh"] = new(new RealNvpConfig
        {
            Features = 4, Couplings = 3, HiddenFeatures = 8, HiddenLayers = 1, Activation = Activation.Tanh, Permutation = CouplingPermutation.Random, PermutationSeed = 5,
        }, Vectors(4)),
        ["realnvp-reverse-diagonal-batchnorm"] = new(new RealNvpConfig
        {
            Features = 3, Couplings = 3, HiddenFeatures = 8, HiddenLayers = 1, Permutation = CouplingPermutation.Reversed, BaseDistribution = BaseDistributionKind.DiagonalNormal,
            BatchNorm = true, Standardize = true,
        }, Vectors(3)),
        ["nice-logistic-elu"] = new(new NiceConfig { Features = 4, Couplings = 4, HiddenFeatures = 8, HiddenLayers = 2, Activation = Activation.Elu }, Vectors(4)),
        ["made-mog-random"] = new(new MadeConfig { Features = 3, HiddenFeatures = 12, Components = 3, Order = FeatureOrder.Random, OrderSeed = 3, Activation = Activation.Gelu }, Vectors(3)),
        ["maf-random-conditional"] = new(new MafConfig
        {
            Features = 4, Layers = 2, HiddenFeatures = 12, Order = FeatureOrder.Random, OrderSeed = 2, ContextFeatures = 3, LabelClasses = 3, Activation = Activation.Silu,
        }, Vectors(4, classes: 3)),
        ["iaf-affine"] = new(new IafConfig { Features = 3, Layers = 2, HiddenFeatures = 12, HiddenLayers = 1, Map = IafUpdate.Affine }, Vectors(3)),
        ["iaf-gated-natural"] = new(new IafConfig { Features = 3, Layers = 2, HiddenFeatures = 12, HiddenLayers = 1, Order = FeatureOrder.Natural }, Vectors(3)),
        ["glow-centered-additive-conditional"] = new(new GlowConfig
        {
            ImageShape = [1, 4, 4], Levels = 2, StepsPerLevel = 1, HiddenChannels = 4, Preprocessing = ImagePreprocessing.Centered, Coupling = CouplingMap.Additive, NumClasses = 3,
            CouplingLayout = CouplingLayout.Masked,          // the layout of every Glow saved before the paper's split coupling
        }, Images([1, 4, 4], 256, classes: 3)),
        ["glow-logit-affine"] = new(new GlowConfig
        {
            ImageShape = [3, 4, 4], Levels = 2, StepsPerLevel = 1, HiddenChannels = 4, LuDecomposed = false, CouplingLayout = CouplingLayout.Masked,
        }, Images([3, 4, 4], 256), Scale: 0.05),
        ["realnvp-image"] = new(new RealNvpImageConfig { ImageShape = [1, 4, 4], Levels = 2, HiddenChannels = 4, ResidualBlocks = 1 }, Images([1, 4, 4], 256), Scale: 0.05),
        ["pixelcnn"] = new(new PixelCnnConfig { Colours = 1, Height = 5, Width = 5, Levels = 2, Channels = 4, Blocks = 1, OutputChannels = 8 }, Images([1, 5, 5], 2)),
        ["gated-pixelcnn-conditional"] = new(new GatedPixelCnnConfig
        {
            Colours = 3, Height = 4, Width = 4, Levels = 4, Channels = 6, Layers = 2, OutputChannels = 6, NumClasses = 3,
        }, Images([3, 4, 4], 4, classes: 3)),
        ["pixelcnn++"] = new(new PixelCnnPlusPlusConfig
        {
            Colours = 3, Height = 4, Width = 4, Levels = 256, Filters = 4, BlocksPerResolution = 1, Components = 2,
        }, Images([3, 4, 4], 256)),
        ["wavenet-global"] = new(new WaveNetConfig
        {
            SegmentLength = 24, ResidualChannels = 4, SkipChannels = 8, Stacks = 1, MaxDilation = 4, GlobalClasses = 3,
        }, Sequences(24, 256, classes: 3)),
        ["wavenet-local-transposed"] = new(new WaveNetConfig
        {
            SegmentLength = 24, Levels = 16, ResidualChannels = 4, SkipChannels = 8, Stacks = 1, MaxDilation = 4,
            LocalFeatures = 2, LocalHop = 4, LocalUpsampling = LocalUpsampling.Transposed,
        }, Sequences(24, 16, localFeatures: 2, hop: 4)),
    };

    /// <summary>
    /// Scores <paramref name="x"/> with <paramref name="model"/> in eval mode; image flows dequantize with noise drawn
    /// from the global generator, seeded with <paramref name="dequantizationSeed"/> first (callers run sequentially).
    /// </summary>
    public static Tensor Score(DensityModel model, Tensor x, Tensor? labels, Tensor? context, ulong dequantizationSeed)
    {
        using var _ = no_grad();
        Tensor? c = labels is null ? context : model.ContextFromLabels(labels);
        if (model is MultiScaleFlow) manual_seed((long)dequantizationSeed);
        return model.LogProb(x, c);
    }

    private static Func<Generator, Inputs> Vectors(int features, int classes = 0) => g =>
        new(randn([6, features], generator: g) * 1.5 + 0.5, classes > 0 ? arange(6, dtype: int64) % classes : null, null);

    private static Func<Generator, Inputs> Images(long[] shape, int levels, int classes = 0) => g =>
        new(randint(0, levels, [4, .. shape], generator: g).to(float32), classes > 0 ? arange(4, dtype: int64) % classes : null, null);

    private static Func<Generator, Inputs> Sequences(int length, int levels, int classes = 0, int localFeatures = 0, int hop = 1) => g =>
        new(randint(0, levels, [3, length], generator: g).to(float32), classes > 0 ? arange(3, dtype: int64) % classes : null,
            localFeatures > 0 ? randn([3, localFeatures, (length + hop - 1) / hop], generator: g) : null);
}

/// <summary>A fixture's model and the function that draws its inputs.</summary>
/// <param name="Config">The model.</param>
/// <param name="Draw">Draws inputs, class labels (or null) and a raw context (or null) from a generator.</param>
/// <param name="Scale">Standard deviation of the random parameters (small enough to keep log-probabilities moderate).</param>
public sealed record LegacyCase(ModelConfig Config, Func<Generator, Inputs> Draw, double Scale = 0.2);

/// <summary>What a model is scored on.</summary>
/// <param name="X">Examples <c>[B, ...]</c>.</param>
/// <param name="Labels">Class labels <c>[B]</c> (turned into the context by the model), or null.</param>
/// <param name="Context">A raw context (WaveNet's local features), or null.</param>
public sealed record Inputs(Tensor X, Tensor? Labels, Tensor? Context);

/// <summary>The content of <c>expected.json</c>: the inputs (float32, flattened) and the log-probabilities computed for them.</summary>
public sealed record LegacyExpectation
{
    /// <summary>Shape of the inputs.</summary>
    public required long[] InputShape { get; init; }

    /// <summary>The inputs, flattened.</summary>
    public required float[] Inputs { get; init; }

    /// <summary>Class labels, or null.</summary>
    public long[]? Labels { get; init; }

    /// <summary>Shape of a raw context, or null.</summary>
    public long[]? ContextShape { get; init; }

    /// <summary>A raw context, flattened, or null.</summary>
    public float[]? Context { get; init; }

    /// <summary>Seed of the global generator before scoring (the dequantization noise of image flows).</summary>
    public ulong DequantizationSeed { get; init; }

    /// <summary>The log-probability of each input, in nats.</summary>
    public required double[] LogProbs { get; init; }

    /// <summary>The inputs as tensors.</summary>
    public Inputs ToInputs() => new(
        tensor(Inputs).reshape(InputShape),
        Labels is null ? null : tensor(Labels),
        Context is null ? null : tensor(Context).reshape(ContextShape!));
}

/// <summary>Writes the fixtures that are missing (run by hand; existing fixtures are never overwritten).</summary>
public sealed class LegacyFixtureWriter
{
    [ManualFact]
    public void WriteMissingLegacyFixtures()
    {
        string root = Path.Combine(SourceFolder(), "..", "Fixtures", "legacy");
        foreach ((string name, LegacyCase c) in LegacyFixtures.Cases)
        {
            string dir = Path.Combine(root, name);
            if (Directory.Exists(dir)) continue;
            using var g = new Generator(17);
            Inputs inputs = c.Draw(g);
            DensityModel model = c.Config.Build();
            Tensor? context = inputs.Labels is null ? inputs.Context : model.ContextFromLabels(inputs.Labels);
            model.InitializeFromData(inputs.X, context);
            Jacobian.Randomize(model, c.Scale, seed: 4);
            model.train();
            using (no_grad()) model.LogProb(inputs.X, context);          // moves batch-norm running statistics
            model.eval();
            const ulong seed = 23;
            double[] logProbs = LegacyFixtures.Score(model, inputs.X, inputs.Labels, inputs.Context, seed).to(float64).data<double>().ToArray();
            Assert.All(logProbs, v => Assert.True(double.IsFinite(v)));
            model.Save(dir);
            JsonFiles.Write(Path.Combine(dir, "expected.json"), new LegacyExpectation
            {
                InputShape = inputs.X.shape, Inputs = inputs.X.flatten().data<float>().ToArray(), Labels = inputs.Labels?.data<long>().ToArray(),
                ContextShape = inputs.Context?.shape, Context = inputs.Context?.flatten().data<float>().ToArray(),
                DequantizationSeed = seed, LogProbs = logProbs,
            });
        }
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
