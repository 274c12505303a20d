using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// A fixed permutation of the features of vector data, <c>y = x[:, π]</c>, with zero log-det. Used between
/// coupling or autoregressive layers so that every feature gets transformed (RealNVP; MAF reverses the order).
/// </summary>
public sealed class Permutation : Bijector
{
    private readonly Tensor permutation;
    private readonly Tensor inversePermutation;

    /// <summary>Permutes by <paramref name="order"/>, a permutation of <c>0..D-1</c>.</summary>
    public Permutation(long[] order) : base(nameof(Permutation))
    {
        if (!order.OrderBy(i => i).SequenceEqual(Enumerable.Range(0, order.Length).Select(i => (long)i)))
            throw new ArgumentException("Not a permutation of 0..D-1.", nameof(order));
        permutation = tensor(order, int64);
        inversePermutation = argsort(permutation);
        RegisterComponents();
    }

    /// <summary>The order <c>D-1, …, 0</c>.</summary>
    public static Permutation Reverse(int features) =>
        new(Enumerable.Range(0, features).Reverse().Select(i => (long)i).ToArray());

    /// <summary>A random order drawn from <paramref name="seed"/> (so a checkpoint's config rebuilds it).</summary>
    public static Permutation Random(int features, long seed)
    {
        var rng = new System.Random(unchecked((int)seed));
        long[] order = Enumerable.Range(0, features).Select(i => (long)i).ToArray();
        rng.Shuffle(order);
        return new Permutation(order);
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        (x.index_select(1, permutation), zeros(x.size(0), dtype: x.dtype, device: x.device));

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) =>
        (y.index_select(1, inversePermutation), zeros(y.size(0), dtype: y.dtype, device: y.device));
}
