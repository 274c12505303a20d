using Tractable.Runs;

namespace Tractable.Models;

/// <summary>
/// Planar and radial flows (Rezende &amp; Mohamed 2015, §4.1): they have no closed-form inverse, so they are fitted to
/// an energy by reverse KL (eq. 20), never to data by maximum likelihood.
/// </summary>
public abstract class LayerStackKind<TConfig> : VectorFlowKind<TConfig> where TConfig : LayerStackConfig
{
    /// <inheritdoc />
    public override DataKind Accepts => DataKind.Energy;

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "flow layers K (the paper shows 2, 8 and 32)", c => c.Layers, (c, v) => c with { Layers = v }),
    ];
}
