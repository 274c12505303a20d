using Tractable.Networks;
using Tractable.Runs;

namespace Tractable.Models;

/// <summary>NICE (Dinh et al. 2014): additive couplings and a diagonal scaling over a logistic prior.</summary>
public sealed class NiceKind : VectorFlowKind<NiceConfig>
{
    /// <inheritdoc />
    public override string Name => "nice";

    /// <inheritdoc />
    public override string Summary => "NICE (Dinh et al. 2014): additive couplings over vectors, maximum likelihood";

    /// <inheritdoc />
    protected override NiceConfig Fresh() => new();

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "additive coupling layers", c => c.Couplings, (c, v) => c with { Couplings = v }),
        Count("hidden", "hidden units per coupling network layer", c => c.HiddenFeatures, (c, v) => c with { HiddenFeatures = v }),
        Count("hidden-layers", "hidden layers per coupling network", c => c.HiddenLayers, (c, v) => c with { HiddenLayers = v }),
        Choice<Activation>("activation", "hidden non-linearity", c => c.Activation, (c, v) => c with { Activation = v }),
        StandardizeOption(),
    ];
}
