using Tractable.Data;

namespace Tractable.Distributed;

/// <summary>
/// One rank's contiguous share of <c>total</c> rows (a global batch, or a split to evaluate): rank r of N takes rows
/// <c>[Start, End)</c>, the shares differ by at most one row and together cover every row once, in order.
/// </summary>
/// <param name="Start">The first row.</param>
/// <param name="Count">The number of rows.</param>
/// <param name="Total">The rows shared out.</param>
public readonly record struct BatchShard(long Start, long Count, long Total)
{
    /// <summary>One past the last row.</summary>
    public long End => Start + Count;

    /// <summary>The rows after this share.</summary>
    public long After => Total - End;

    /// <summary>Rank <paramref name="rank"/>'s share of <paramref name="total"/> rows among <paramref name="size"/> ranks.</summary>
    public static BatchShard Of(long total, int rank, int size)
    {
        if (size < 1 || rank < 0 || rank >= size) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be in [0, {size}).");
        long start = total * rank / size;
        return new BatchShard(start, total * (rank + 1) / size - start, total);
    }

    /// <summary>This rank's share of <paramref name="collective"/>'s ranks.</summary>
    public static BatchShard Of(long total, ICollective collective) => Of(total, collective.Rank, collective.Size);

    /// <summary>This share of the examples of <paramref name="split"/> (views, no copy), which keeps their indices in it for evaluation's noise.</summary>
    public Split Take(Split split) =>
        new(split.X.narrow(0, Start, Count), split.Labels?.narrow(0, Start, Count)) { FirstIndex = split.FirstIndex + Start };
}
