namespace Tractable.Transforms;

/// <summary>Creates the permutation a configuration names.</summary>
public static class FeaturePermutations
{
    /// <summary><c>reverse</c> or <c>random</c> (drawn from <paramref name="seed"/>).</summary>
    public static Permutation Create(string name, int features, long seed) => name.ToLowerInvariant() switch
    {
        "reverse" => Permutation.Reverse(features),
        "random" => Permutation.Random(features, seed),
        _ => throw new ArgumentException($"Unknown permutation '{name}'; expected alternate, reverse or random."),
    };
}
