using Tractable.Distributions;

namespace Tractable.Models;

/// <summary>What every flow over vectors <c>[B, D]</c> is configured with.</summary>
public abstract record VectorFlowConfig : ModelConfig, IValidatableConfig
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

    /// <inheritdoc />
    public virtual void Validate()
    {
        ConfigCheck.Width(nameof(Features), Features);
        ConfigCheck.OptionalWidth(nameof(ContextFeatures), ContextFeatures);
        ConfigCheck.Defined(nameof(BaseDistribution), BaseDistribution);
    }

    /// <inheritdoc />
    public abstract long EstimatedStateSize();

    /// <summary>Checks the fields of a stack of couplings with MLP conditioners (RealNVP, NICE).</summary>
    protected static void ValidateCouplings(int couplings, int hiddenFeatures, int hiddenLayers, Networks.Activation activation)
    {
        ConfigCheck.Layers("Couplings", couplings);
        ConfigCheck.Width("HiddenFeatures", hiddenFeatures);
        ConfigCheck.Layers("HiddenLayers", hiddenLayers);
        ConfigCheck.Defined("Activation", activation);
    }

    /// <summary>
    /// The scalars of an <see cref="Networks.Mlp"/> from <paramref name="inFeatures"/> (plus the context) through
    /// <paramref name="hiddenLayers"/> layers of <paramref name="hiddenFeatures"/> to <paramref name="outFeatures"/>.
    /// </summary>
    protected long MlpSize(long inFeatures, long outFeatures, long hiddenFeatures, long hiddenLayers) =>
        ConfigCheck.Sum(ConfigCheck.Product(inFeatures + ContextFeatures + 1, hiddenFeatures),
            ConfigCheck.Product(hiddenLayers - 1, hiddenFeatures + 1, hiddenFeatures), ConfigCheck.Product(hiddenFeatures + 1, outFeatures));

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
