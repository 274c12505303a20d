using Tractable.IO;

namespace Tractable.Networks;

/// <summary>An autoregressive order of the features (the input degrees of a <see cref="Made"/>).</summary>
public enum FeatureOrder
{
    /// <summary>Feature 1 first, then 2, …, D.</summary>
    Natural,
    /// <summary>Feature D first, then D−1, …, 1.</summary>
    [EnumAlias("reverse")]
    Reversed,
    /// <summary>A permutation drawn from a seed.</summary>
    Random,
}
