using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Models.Pixel;

/// <summary>Gated PixelCNN (van den Oord et al. 2016): vertical and horizontal stacks, gated units, class conditioning.</summary>
public sealed class GatedPixelCnnKind : PixelModelKind<GatedPixelCnnConfig>
{
    /// <inheritdoc />
    public override string Name => "gated-pixelcnn";

    /// <inheritdoc />
    public override string Summary => "Gated PixelCNN (van den Oord et al. 2016): gated vertical and horizontal stacks, class-conditional";

    /// <inheritdoc />
    public override SamplingFeatures Sampling => SamplingFeatures.Fast | SamplingFeatures.Classes;

    /// <inheritdoc />
    protected override GatedPixelCnnConfig Fresh() => new();

    /// <inheritdoc />
    protected override GatedPixelCnnConfig Configure(DataShape data)
    {
        GatedPixelCnnConfig config = base.Configure(data);
        return config with { Channels = WholeColourGroups(config.Channels, config.Colours) };
    }

    /// <inheritdoc />
    public override TrainingDefaults Defaults(DataShape data)
    {
        TrainingDefaults shared = base.Defaults(data);
        return shared with { Trainer = shared.Trainer with { LearningRate = 1.5e-3 } };
    }

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "gated layers", c => c.Layers, (c, v) => c with { Layers = v }),
        Count("hidden", "channels (rounded up to a multiple of the colours)", c => c.Channels,
            (c, v) => c with { Channels = WholeColourGroups(v, c.Colours) }),
        Conditional(c => c.NumClasses, (c, k) => c with { NumClasses = k }),
    ];

    /// <summary>The gate splits channels in halves that must keep whole colour groups: <paramref name="channels"/> rounded up.</summary>
    private static int WholeColourGroups(int channels, int colours) => (channels + colours - 1) / colours * colours;
}
