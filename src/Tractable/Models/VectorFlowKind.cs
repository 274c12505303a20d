using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Models;

/// <summary>What the kinds of flows over vectors share: vector data, tables standardized inside the model.</summary>
public abstract class VectorFlowKind<TConfig> : ModelKind<TConfig> where TConfig : VectorFlowConfig
{
    /// <inheritdoc />
    public override DataKind Accepts => DataKind.Examples;

    /// <inheritdoc />
    public override DataShape TypicalData => new([2]);

    /// <summary>The kind's configuration before the data is known.</summary>
    protected abstract TConfig Fresh();

    /// <inheritdoc />
    protected override TConfig Configure(DataShape data) =>
        Fresh() with { Features = VectorFeatures(data), Standardize = data.Standardize };

    /// <summary>The <c>standardize</c> option.</summary>
    protected static ModelOption StandardizeOption() =>
        Flag("standardize", "standardize the data inside the model (default: on for tables)", c => c.Standardize, (c, v) => c with { Standardize = v });
}
