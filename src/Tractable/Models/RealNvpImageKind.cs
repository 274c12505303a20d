using Tractable.Runs;

namespace Tractable.Models;

/// <summary>Multi-scale RealNVP for images (Dinh et al. 2017, §3.6): checkerboard and channel couplings, squeezes.</summary>
public sealed class RealNvpImageKind : ImageFlowKind<RealNvpImageConfig>
{
    /// <inheritdoc />
    public override string Name => "realnvp-image";

    /// <inheritdoc />
    public override string Summary => "multi-scale RealNVP (Dinh et al. 2017): checkerboard and channel-wise couplings on images";

    /// <inheritdoc />
    protected override RealNvpImageConfig Fresh() => new();

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("hidden", "channels of the coupling ResNets", c => c.HiddenChannels, (c, v) => c with { HiddenChannels = v }),
        Count("hidden-layers", "residual blocks per coupling ResNet", c => c.ResidualBlocks, (c, v) => c with { ResidualBlocks = v }),
        Count("levels", "levels L (each squeezes by 2)", c => c.Levels, (c, v) => c with { Levels = v }, max: 8),
    ];
}
