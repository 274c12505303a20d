using Tractable.Distributions;

namespace Tractable.Models;

/// <summary>What every flow over vectors <c>[B, D]</c> is configured with.</summary>
public abstract record VectorFlowConfig : ModelConfig
{
    /// <summary>The data dimension D.</summary>
    public int Features { get; init; } = 2;

    /// <inheritdoc />
    public override long[] EventShape => [Features];

    /// <summary>Features of the context vector (0 for an unconditional model).</summary>
    public int ContextFeatures { get; init; }

    /// <summary>Whether a fixed standardization, fitted on the training data, comes first.</summary>
    public bool Standardize { get; init; }

    /// <summary>The base density.</summary>
    public BaseDistributionKind BaseDistribution { get; init; } = BaseDistributionKind.Normal;

    /// <summary>Creates the configured base density.</summary>
    protected Distribution CreateBase() => BaseDistribution switch
    {
        BaseDistributionKind.Normal => new StandardNormal(Features),
        BaseDistributionKind.DiagonalNormal => new DiagonalNormal(Features),
        BaseDistributionKind.Logistic => new StandardLogistic(Features),
        _ => throw new ArgumentOutOfRangeException(nameof(BaseDistribution), BaseDistribution, "Not a base distribution."),
    };

    /// <summary>The standardization layer when <see cref="Standardize"/> is set, else nothing.</summary>
    protected IEnumerable<Transforms.Bijector> Preprocessing()
    {
        if (Standardize) yield return new Transforms.Standardize(Features);
    }
}
