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
    /// the other columns; else an error naming the constant columns (1-based) of table <paramref name="name"/>.
    /// </summary>
    public static Tensor Remove(Tensor features, string name, bool drop)
    {
        int[] varying = Varying(features, name, drop, c => (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (varying.Length == features.size(1)) return features;
        using var scope = NewDisposeScope();
        return features.index_select(1, tensor(varying.Select(c => (long)c).ToArray())).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The indices of the columns of <paramref name="features"/> <c>[N, D]</c> that vary (all of them when none is
    /// constant). A constant column is an error naming it by <paramref name="columnName"/> unless <paramref name="drop"/>;
    /// a table whose every column is constant is an error either way.
    /// </summary>
    public static int[] Varying(Tensor features, string name, bool drop, Func<int, string> columnName)
    {
        using var scope = NewDisposeScope();
        bool[] keep = features.amax(0).gt(features.amin(0)).data<bool>().ToArray();
        int[] constant = Enumerable.Range(0, keep.Length).Where(c => !keep[c]).ToArray();
        if (constant.Length == 0) return Enumerable.Range(0, keep.Length).ToArray();
        string columns = string.Join(", ", constant.Take(10).Select(columnName)) + (constant.Length > 10 ? ", …" : "");
        if (!drop)
            throw new DataFormatException(
                $"{name}: column{(constant.Length > 1 ? "s" : "")} {columns} hold{(constant.Length > 1 ? "" : "s")} one value in every row; a continuous density on a constant has no finite likelihood (remove {(constant.Length > 1 ? "them" : "it")}, or set DataOptions.DropConstantColumns).");
        if (constant.Length == keep.Length) throw new DataFormatException($"{name}: every feature column is constant.");
        return Enumerable.Range(0, keep.Length).Where(c => keep[c]).ToArray();
    }
}
