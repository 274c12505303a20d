using Tractable.Runs;

namespace Tractable.Models;

/// <summary>IAF (Kingma et al. 2016) as a density model: inverted autoregressive layers, sigmoid-gated updates.</summary>
public sealed class IafKind : AutoregressiveKind<IafConfig>
{
    /// <inheritdoc />
    public override string Name => "iaf";

    /// <inheritdoc />
    public override string Summary => "IAF (Kingma et al. 2016): inverse autoregressive layers, one pass to sample";

    /// <inheritdoc />
    protected override IafConfig Fresh() => new();

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "autoregressive layers", c => c.Layers, (c, v) => c with { Layers = v }),
        .. SharedOptions(),
    ];
}
