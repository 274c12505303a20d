using Tractable.Networks;
using Tractable.Runs;

namespace Tractable.Models;

/// <summary>RealNVP over vectors (Dinh et al. 2017): affine couplings with alternating masks.</summary>
public sealed class RealNvpKind : VectorFlowKind<RealNvpConfig>
{
    /// <inheritdoc />
    public override string Name => "realnvp";

    /// <inheritdoc />
    public override string Summary => "RealNVP (Dinh et al. 2017): affine couplings over vectors, maximum likelihood";

    /// <inheritdoc />
    protected override RealNvpConfig Fresh() => new();

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "coupling layers", c => c.Couplings, (c, v) => c with { Couplings = v }),
        Count("hidden", "hidden units per conditioner layer", c => c.HiddenFeatures, (c, v) => c with { HiddenFeatures = v }),
        Count("hidden-layers", "hidden layers per conditioner", c => c.HiddenLayers, (c, v) => c with { HiddenLayers = v }),
        Flag("batch-norm", "a batch-normalization bijector after each coupling", c => c.BatchNorm, (c, v) => c with { BatchNorm = v }),
        Choice<Activation>("activation", "hidden non-linearity", c => c.Activation, (c, v) => c with { Activation = v }),
        StandardizeOption(),
    ];
}
