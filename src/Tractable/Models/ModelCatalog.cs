using Tractable.IO;
using Tractable.Models.Pixel;

namespace Tractable.Models;

/// <summary>What a model needs to know about the data it will be fitted to.</summary>
/// <param name="EventShape">The shape of one example (<c>[D]</c> for vectors, <c>[C, H, W]</c> for images).</param>
/// <param name="NumClasses">Number of classes of labelled data (0 for none).</param>
/// <param name="Levels">Values per dimension of discrete data (256, 2), or null for continuous data.</param>
/// <param name="Standardize">Whether to standardize inside the model (tables).</param>
/// <param name="SampleRate">Samples per second of audio data, else null.</param>
public sealed record DataShape(long[] EventShape, int NumClasses = 0, int? Levels = null, bool Standardize = false, int? SampleRate = null)
{
    /// <summary>The number of dimensions of one example.</summary>
    public int Features => (int)EventShape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>Architecture settings a user may override from the command line; null keeps the model's default.</summary>
public sealed record ArchitectureOptions
{
    /// <summary>Number of flow layers (couplings, planar or radial layers, autoregressive layers).</summary>
    public int? Layers { get; init; }

    /// <summary>Width of hidden layers (or channels of convolutional networks).</summary>
    public int? HiddenFeatures { get; init; }

    /// <summary>Number of hidden layers (or blocks) per network.</summary>
    public int? HiddenLayers { get; init; }

    /// <summary>Whether to add batch-normalization bijectors (where the model supports them).</summary>
    public bool? BatchNorm { get; init; }

    /// <summary>Hidden non-linearity of fully connected networks (relu, tanh, elu, gelu, silu).</summary>
    public string? Activation { get; init; }

    /// <summary>Whether to condition on the class labels of labelled data.</summary>
    public bool? Conditional { get; init; }

    /// <summary>Dropout probability inside the network (where the model has dropout).</summary>
    public double? Dropout { get; init; }

    /// <summary>Mixture components per conditional (MADE MoG, MAF MoG).</summary>
    public int? Components { get; init; }

    /// <summary>Autoregressive order of the first layer: <c>natural</c> or <c>random</c>.</summary>
    public string? Order { get; init; }
}

/// <summary>The models the CLI knows by name, and how each is configured for a dataset.</summary>
public static class ModelCatalog
{
    private static readonly Dictionary<string, Func<DataShape, ArchitectureOptions, ModelConfig>> Factories =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["realnvp"] = (d, o) =>
            {
                var c = new RealNvpConfig();
                return c with
                {
                    Features = VectorFeatures(d, "realnvp"), Standardize = d.Standardize,
                    Couplings = o.Layers ?? c.Couplings, HiddenFeatures = o.HiddenFeatures ?? c.HiddenFeatures,
                    HiddenLayers = o.HiddenLayers ?? c.HiddenLayers, BatchNorm = o.BatchNorm ?? c.BatchNorm,
                    Activation = o.Activation is null ? c.Activation : EnumNames.Parse<Networks.Activation>(o.Activation, "activation"),
                };
            },
            ["nice"] = (d, o) =>
            {
                var c = new NiceConfig();
                return c with
                {
                    Features = VectorFeatures(d, "nice"), Standardize = d.Standardize,
                    Couplings = o.Layers ?? c.Couplings, HiddenFeatures = o.HiddenFeatures ?? c.HiddenFeatures,
                    HiddenLayers = o.HiddenLayers ?? c.HiddenLayers,
                };
            },
            ["glow"] = (d, o) =>
            {
                var c = new GlowConfig();
                return c with
                {
                    ImageShape = ImageShape(d, "glow"), PixelLevels = d.Levels ?? 256, NumClasses = o.Conditional == true ? d.NumClasses : 0,
                    StepsPerLevel = o.Layers ?? c.StepsPerLevel, HiddenChannels = o.HiddenFeatures ?? c.HiddenChannels,
                };
            },
            ["realnvp-image"] = (d, o) =>
            {
                var c = new RealNvpImageConfig();
                return c with
                {
                    ImageShape = ImageShape(d, "realnvp-image"), PixelLevels = d.Levels ?? 256,
                    HiddenChannels = o.HiddenFeatures ?? c.HiddenChannels, ResidualBlocks = o.HiddenLayers ?? c.ResidualBlocks,
                };
            },
            ["planar"] = (d, o) => new PlanarConfig { Features = VectorFeatures(d, "planar"), Layers = o.Layers ?? new PlanarConfig().Layers },
            ["wavenet"] = (d, o) =>
            {
                var c = new WaveNetConfig();
                if (d.EventShape.Length != 1 || d.SampleRate is null)
                    throw new ArgumentException("'wavenet' models audio: use --data speech:PATH.");
                int residual = o.HiddenFeatures ?? c.ResidualChannels;
                return c with
                {
                    SegmentLength = (int)d.EventShape[0], SampleRate = d.SampleRate.Value, Levels = d.Levels ?? c.Levels,
                    Stacks = o.Layers ?? c.Stacks, ResidualChannels = residual, SkipChannels = 2 * residual,
                    GlobalClasses = o.Conditional == true ? d.NumClasses : 0,
                };
            },
            ["radial"] = (d, o) => new RadialConfig { Features = VectorFeatures(d, "radial"), Layers = o.Layers ?? new RadialConfig().Layers },
            ["pixelcnn"] = (d, o) =>
            {
                var c = Image(new PixelCnnConfig(), d, "pixelcnn", o);
                return c with { Blocks = o.Layers ?? c.Blocks, Channels = o.HiddenFeatures ?? c.Channels };
            },
            ["gated-pixelcnn"] = (d, o) =>
            {
                var c = Image(new GatedPixelCnnConfig(), d, "gated-pixelcnn");
                return c with
                {
                    // The gate splits channels in halves that must keep whole colour groups.
                    Layers = o.Layers ?? c.Layers, Channels = RoundUp(o.HiddenFeatures ?? c.Channels, c.Colours),
                    NumClasses = o.Conditional == true ? ClassCount(d, "gated-pixelcnn") : 0,
                };
            },
            ["pixelcnn++"] = (d, o) =>
            {
                var c = Image(new PixelCnnPlusPlusConfig(), d, "pixelcnn++", o);
                return c with
                {
                    BlocksPerResolution = o.Layers ?? c.BlocksPerResolution, Filters = o.HiddenFeatures ?? c.Filters,
                    Dropout = o.Dropout ?? c.Dropout, Components = d.EventShape[0] == 1 ? c.Components : 10,
                };
            },
            ["made"] = (d, o) => Autoregressive(new MadeConfig(), d, o),
            ["made-mog"] = (d, o) => Autoregressive(new MadeConfig(), d, o) with { Components = o.Components ?? 10 },
            ["maf"] = (d, o) =>
            {
                var c = Autoregressive(new MafConfig(), d, o);
                return c with { Layers = o.Layers ?? c.Layers, BatchNorm = o.BatchNorm ?? c.BatchNorm };
            },
            ["maf-mog"] = (d, o) =>
            {
                var c = Autoregressive(new MafConfig(), d, o);
                return c with { Layers = o.Layers ?? c.Layers, BatchNorm = o.BatchNorm ?? c.BatchNorm, BaseComponents = o.Components ?? 10 };
            },
            ["iaf"] = (d, o) =>
            {
                var c = Autoregressive(new IafConfig(), d, o);
                return c with { Layers = o.Layers ?? c.Layers };
            },
        };

    /// <summary>Every model name, for help texts and errors.</summary>
    public static IEnumerable<string> Names => Factories.Keys;

    /// <summary>A configuration of the model called <paramref name="name"/> for data of shape <paramref name="data"/>.</summary>
    public static ModelConfig Create(string name, DataShape data, ArchitectureOptions? options = null) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(data, options ?? new ArchitectureOptions())
            : throw new ArgumentException($"Unknown model '{name}'; expected one of: {string.Join(", ", Names)}.");

    /// <summary>Fills the settings every autoregressive model shares: data shape, discrete levels, conditioning, MADE size.</summary>
    private static T Autoregressive<T>(T c, DataShape d, ArchitectureOptions o) where T : AutoregressiveConfig
    {
        bool conditional = o.Conditional ?? false;
        if (conditional && d.NumClasses == 0)
            throw new ArgumentException("--conditional needs labelled data (e.g. mnist); this dataset has no classes.");
        ImageSize? image = d.EventShape.Length switch
        {
            1 => null,
            3 => new ImageSize((int)d.EventShape[0], (int)d.EventShape[1], (int)d.EventShape[2]),
            _ => throw new ArgumentException($"'{c.Name}' models vectors or [C, H, W] images, not examples of shape [{string.Join(", ", d.EventShape)}]."),
        };
        return c with
        {
            Features = d.Features, Image = image, Levels = d.Levels, Standardize = d.Standardize,
            ContextFeatures = conditional ? d.NumClasses : 0, LabelClasses = conditional ? d.NumClasses : 0,
            HiddenFeatures = o.HiddenFeatures ?? c.HiddenFeatures, HiddenLayers = o.HiddenLayers ?? c.HiddenLayers,
            Order = o.Order is null ? c.Order : EnumNames.Parse<Networks.FeatureOrder>(o.Order, "order"),
            Activation = o.Activation is null ? c.Activation : EnumNames.Parse<Networks.Activation>(o.Activation, "activation"),
        };
    }

    private static long[] ImageShape(DataShape d, string model) => d.EventShape.Length == 3 && d.Levels is not null
        ? d.EventShape
        : throw new ArgumentException($"'{model}' models discrete images [C, H, W]; the data has examples of shape [{string.Join(", ", d.EventShape)}].");

    private static T Image<T>(T config, DataShape d, string model, ArchitectureOptions? unconditional = null) where T : PixelModelConfig =>
        unconditional?.Conditional == true
            ? throw new ArgumentException($"'{model}' has no class conditioning here; use gated-pixelcnn --conditional true.")
            : d.EventShape.Length == 3 && d.Levels is int levels
            ? config with { Colours = (int)d.EventShape[0], Height = (int)d.EventShape[1], Width = (int)d.EventShape[2], Levels = levels }
            : throw new ArgumentException($"'{model}' models images of discrete levels [C, H, W], but the data has examples of shape [{string.Join(", ", d.EventShape)}]{(d.Levels is null ? " with continuous values" : "")}.");

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static int ClassCount(DataShape d, string model) => d.NumClasses > 0
        ? d.NumClasses
        : throw new ArgumentException($"'{model}' was asked to be conditional, but the data has no class labels.");

    private static int VectorFeatures(DataShape d, string model) => d.EventShape.Length == 1
        ? d.Features
        : throw new ArgumentException($"'{model}' models vectors, but the data has examples of shape [{string.Join(", ", d.EventShape)}].");
}
