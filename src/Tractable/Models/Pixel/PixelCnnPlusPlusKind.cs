using Tractable.Runs;

namespace Tractable.Models.Pixel;

/// <summary>PixelCNN++ (Salimans et al. 2017): discretized logistic mixtures, shifted convolutions, three resolutions.</summary>
public sealed class PixelCnnPlusPlusKind : PixelModelKind<PixelCnnPlusPlusConfig>
{
    /// <inheritdoc />
    public override string Name => "pixelcnn++";

    /// <inheritdoc />
    public override string Summary => "PixelCNN++ (Salimans et al. 2017): discretized logistic mixtures, three resolutions";

    /// <inheritdoc />
    public override DataShape TypicalData => new([1, 28, 28], NumClasses: 10, Levels: 256);

    /// <inheritdoc />
    protected override PixelCnnPlusPlusConfig Fresh() => new();

    /// <inheritdoc />
    /// <remarks>Colour images take the paper's 10 mixture components; grey images the configuration's default.</remarks>
    protected override PixelCnnPlusPlusConfig Configure(DataShape data)
    {
        PixelCnnPlusPlusConfig config = base.Configure(data);
        return config.Colours == 1 ? config : config with { Components = 10 };
    }

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "gated ResNet blocks per resolution", c => c.BlocksPerResolution, (c, v) => c with { BlocksPerResolution = v }),
        Count("hidden", "filters of both streams", c => c.Filters, (c, v) => c with { Filters = v }),
        Count("components", "logistic mixture components", c => c.Components, (c, v) => c with { Components = v }),
        Number("dropout", "dropout probability inside the blocks (the paper: 0.5)", c => c.Dropout, (c, v) => c with { Dropout = v }, 0, 0.95),
    ];
}
