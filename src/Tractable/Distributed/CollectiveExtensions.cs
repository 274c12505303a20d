using static TorchSharp.torch;

namespace Tractable.Distributed;

/// <summary>Collective operations on a few numbers, built on <see cref="ICollective.SumInPlace"/>.</summary>
public static class CollectiveExtensions
{
    /// <summary>The element-wise sums of <paramref name="values"/> over all ranks (every rank gets the same sums).</summary>
    public static double[] Sum(this ICollective collective, params double[] values)
    {
        if (collective.Size == 1) return values;
        using Tensor buffer = tensor(values, float64);
        collective.SumInPlace(buffer);
        return buffer.data<double>().ToArray();
    }

    /// <summary>Whether <paramref name="value"/> is true on any rank: every rank gets the same answer.</summary>
    public static bool AnyRank(this ICollective collective, bool value) => collective.Sum(value ? 1 : 0)[0] > 0;

    /// <summary>Returns once every rank has called it.</summary>
    public static void Barrier(this ICollective collective) => collective.Sum(0);
}
