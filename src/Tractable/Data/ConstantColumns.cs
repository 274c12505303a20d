using static TorchSharp.torch;

namespace Tractable.Data;

/// <summary>
/// Columns of a table that hold one value in every row: a continuous density on a constant has no finite likelihood,
/// so such a table is refused, or those columns dropped on request (<see cref="DataOptions.DropConstantColumns"/>).
/// </summary>
internal static class ConstantColumns
{
    /// <summary>
    /// <paramref name="features"/> <c>[N, D]</c> itself when no column is constant; else, when <paramref name="drop"/>,
    /// the other columns; else an error naming the constant columns (1-based, as in a file) of table <paramref name="name"/>.
    /// </summary>
    public static Tensor Remove(Tensor features, string name, bool drop)
    {
        using var scope = NewDisposeScope();
        Tensor varying = features.amax(0).gt(features.amin(0));
        bool[] keep = varying.data<bool>().ToArray();
        if (keep.All(k => k)) return features;
        int[] constant = Enumerable.Range(0, keep.Length).Where(c => !keep[c]).ToArray();
        string columns = string.Join(", ", constant.Take(10).Select(c => c + 1)) + (constant.Length > 10 ? ", …" : "");
        if (!drop)
            throw new DataFormatException(
                $"{name}: column{(constant.Length > 1 ? "s" : "")} {columns} hold{(constant.Length > 1 ? "" : "s")} one value in every row; a continuous density on a constant has no finite likelihood (remove {(constant.Length > 1 ? "them" : "it")}, or set DataOptions.DropConstantColumns).");
        if (constant.Length == keep.Length) throw new DataFormatException($"{name}: every feature column is constant.");
        Tensor kept = tensor(Enumerable.Range(0, keep.Length).Where(c => keep[c]).Select(c => (long)c).ToArray());
        return features.index_select(1, kept).MoveToOuterDisposeScope();
    }
}
