namespace Tractable.Distributions;

/// <summary>The base densities a vector flow may be configured with.</summary>
public enum BaseDistributionKind
{
    /// <summary>The standard normal, <see cref="StandardNormal"/>.</summary>
    Normal,
    /// <summary>A normal with learned mean and diagonal scale, <see cref="DiagonalNormal"/>.</summary>
    DiagonalNormal,
    /// <summary>The standard logistic, <see cref="StandardLogistic"/> (NICE's prior).</summary>
    Logistic,
}
