using Tractable.IO;

namespace Tractable.Transforms;

/// <summary>How the features are reordered between the coupling layers of a vector flow.</summary>
public enum CouplingPermutation
{
    /// <summary>No permutation: the coupling mask flips from one layer to the next (RealNVP, NICE).</summary>
    Alternate,
    /// <summary>The features are reversed between layers (a fixed <see cref="Permutation"/>).</summary>
    [EnumAlias("reverse")]
    Reversed,
    /// <summary>A fixed random permutation, drawn from a seed, between layers.</summary>
    Random,
}
