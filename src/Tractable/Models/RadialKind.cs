using Tractable.Runs;

namespace Tractable.Models;

/// <summary>A stack of radial flows fitted by reverse KL.</summary>
public sealed class RadialKind : LayerStackKind<RadialConfig>
{
    /// <inheritdoc />
    public override string Name => "radial";

    /// <inheritdoc />
    public override string Summary => "radial flows (Rezende & Mohamed 2015), fitted to an energy by reverse KL";

    /// <inheritdoc />
    protected override RadialConfig Fresh() => new();
}
