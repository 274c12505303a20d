using Tractable.Runs;

namespace Tractable.Models;

/// <summary>MADE (Germain et al. 2015) as a density: Gaussian conditionals from one masked network.</summary>
public sealed class MadeKind : AutoregressiveKind<MadeConfig>
{
    /// <inheritdoc />
    public override string Name => "made";

    /// <inheritdoc />
    public override string Summary => "MADE (Germain et al. 2015): Gaussian autoregressive conditionals from one masked network";

    /// <inheritdoc />
    protected override MadeConfig Fresh() => new();

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() => SharedOptions();
}
