using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>A run of output rows of a masked weight that read only the leading <see cref="Columns"/> inputs.</summary>
/// <param name="Start">First row.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Columns">Leading input columns that any of these rows reads.</param>
/// <param name="Open">Whether the mask is 1 over all of these rows' leading columns, so that the run needs no masking.</param>
internal readonly record struct MaskRowBlock(long Start, long Rows, long Columns, bool Open);

/// <summary>
/// Splits a mask whose rows open ever longer prefixes of the inputs (MADE's hidden-to-hidden masks with sorted
/// degrees are block lower-triangular) into runs of rows, each multiplied by its open prefix only: the closed
/// upper-right blocks then cost no multiply-adds.
/// </summary>
internal static class MaskRowBlocks
{
    /// <summary>A run's fixed cost, in weights: about one small product's overhead.</summary>
    private const long BlockCost = 4096;

    /// <summary>
    /// The cheapest split into runs (by dynamic programming over the rows where the open prefix grows), or null when
    /// the rows' prefixes do not grow monotonically or the split would save less than a tenth of the products.
    /// </summary>
    public static MaskRowBlock[]? Plan(Tensor mask)
    {
        long rows = mask.shape[0], columns = mask.shape[1];
        if (rows < 2) return null;
        // The open prefix of each row: one past its last open column.
        long[] prefix = (mask.ne(0).to(int64) * arange(1, columns + 1, dtype: int64)).amax(1).data<long>().ToArray();
        for (long r = 1; r < rows; r++)
            if (prefix[r] < prefix[r - 1]) return null;
        // Runs may start only where the prefix grows.
        var starts = new List<long> { 0 };
        for (long r = 1; r < rows; r++)
            if (prefix[r] != prefix[r - 1]) starts.Add(r);
        starts.Add(rows);
        int n = starts.Count;
        var best = new long[n];
        var from = new int[n];
        for (int i = 1; i < n; i++)
        {
            best[i] = long.MaxValue;
            for (int j = 0; j < i; j++)
            {
                long cost = best[j] + (starts[i] - starts[j]) * prefix[starts[i] - 1] + BlockCost;
                if (cost < best[i]) (best[i], from[i]) = (cost, j);
            }
        }
        if (best[n - 1] > 0.9 * rows * columns) return null;
        var blocks = new List<MaskRowBlock>();
        for (int i = n - 1; i > 0; i = from[i])
        {
            long start = starts[from[i]], count = starts[i] - start, open = prefix[starts[i] - 1];
            bool full = mask.narrow(0, start, count).narrow(1, 0, open).ne(0).all().item<bool>();
            blocks.Add(new MaskRowBlock(start, count, open, full));
        }
        blocks.Reverse();
        return blocks.ToArray();
    }
}
