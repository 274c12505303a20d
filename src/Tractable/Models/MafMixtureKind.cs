using Tractable.Runs;

namespace Tractable.Models;

/// <summary>MAF MoG (Papamakarios et al. 2017, §4): MAF over a MADE MoG base density.</summary>
public sealed class MafMixtureKind : AutoregressiveKind<MafConfig>
{
    /// <inheritdoc />
    public override string Name => "maf-mog";

    /// <inheritdoc />
    public override string ConfigName => "maf";

    /// <inheritdoc />
    public override string Summary => "MAF MoG (Papamakarios et al. 2017): MAF over a MADE mixture-of-Gaussians base";

    /// <inheritdoc />
    protected override MafConfig Fresh() => new() { BaseComponents = 10 };

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("components", "Gaussians per conditional of the base density", c => c.BaseComponents, (c, v) => c with { BaseComponents = v }),
        .. MafKind.LayerOptions(),
        .. SharedOptions(),
    ];
}
