using Tractable.Runs;

namespace Tractable.Models.Pixel;

/// <summary>PixelCNN (van den Oord et al. 2016): masked convolutions, residual blocks, a softmax per sub-pixel.</summary>
public sealed class PixelCnnKind : PixelModelKind<PixelCnnConfig>
{
    /// <inheritdoc />
    public override string Name => "pixelcnn";

    /// <inheritdoc />
    public override string Summary => "PixelCNN (van den Oord et al. 2016): masked convolutions over discrete images";

    /// <inheritdoc />
    protected override PixelCnnConfig Fresh() => new();

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "residual blocks", c => c.Blocks, (c, v) => c with { Blocks = v }),
        Count("hidden", "channels", c => c.Channels, (c, v) => c with { Channels = v }),
    ];
}
