using Tractable.Runs;

namespace Tractable.Models;

/// <summary>MADE MoG (Papamakarios et al. 2017, §4): a mixture of Gaussians per conditional.</summary>
public sealed class MadeMixtureKind : AutoregressiveKind<MadeConfig>
{
    /// <inheritdoc />
    public override string Name => "made-mog";

    /// <inheritdoc />
    public override string ConfigName => "made";

    /// <inheritdoc />
    public override string Summary => "MADE MoG (Papamakarios et al. 2017): a mixture of Gaussians per conditional";

    /// <inheritdoc />
    protected override MadeConfig Fresh() => new() { Components = 10 };

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("components", "Gaussians per conditional (the paper's 10)", c => c.Components, (c, v) => c with { Components = v }, min: 2),
        .. SharedOptions(),
    ];
}
