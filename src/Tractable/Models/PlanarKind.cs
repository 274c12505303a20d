using Tractable.Runs;

namespace Tractable.Models;

/// <summary>A stack of planar flows fitted by reverse KL.</summary>
public sealed class PlanarKind : LayerStackKind<PlanarConfig>
{
    /// <inheritdoc />
    public override string Name => "planar";

    /// <inheritdoc />
    public override string Summary => "planar flows (Rezende & Mohamed 2015), fitted to an energy by reverse KL";

    /// <inheritdoc />
    protected override PlanarConfig Fresh() => new();
}
