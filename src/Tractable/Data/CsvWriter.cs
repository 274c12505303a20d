using System.Globalization;
using Tractable.IO;
using static TorchSharp.torch;

namespace Tractable.Data;

/// <summary>
/// Writes a table of numbers as CSV block by block, as <see cref="CsvTable.Write"/> writes it whole: a header of column
/// names, then one row per example, each value in plain decimal notation (<see cref="PlainNumber"/>). A table of any
/// length is written with one block in memory.
/// </summary>
/// <param name="writer">Where the text goes.</param>
/// <param name="names">The column names (null, or not as many as the columns: <c>x1</c>…<c>xD</c>).</param>
public sealed class CsvWriter(TextWriter writer, IReadOnlyList<string>? names = null)
{
    private readonly char[] number = new char[32];
    private float[] values = [];
    private int columns = -1;

    /// <summary>The rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>
    /// Appends <paramref name="rows"/> <c>[N, D]</c> (or <c>[N, …]</c>, flattened); the first block also writes the
    /// header. Every block has the first one's D columns.
    /// </summary>
    public void Write(Tensor rows)
    {
        using var scope = NewDisposeScope();
        Tensor flat = rows.flatten(1);
        int d = (int)flat.size(1);
        if (columns < 0)
        {
            writer.WriteLine(string.Join(",", names is not null && names.Count == d ? names : Enumerable.Range(1, d).Select(c => $"x{c}")));
            columns = d;
        }
        else if (d != columns)
            throw new ArgumentException($"A block of {d} columns for a table of {columns}.", nameof(rows));
        // One buffer of values and one of characters serve every block: a long table leaves little garbage behind.
        Tensor block = flat.to(float32).cpu().contiguous();
        int count = (int)block.numel();
        if (values.Length < count) values = new float[count];
        using (var accessor = block.data<float>()) accessor.CopyTo(values);
        for (int i = 0; i < count; i++)
        {
            WriteNumber(values[i]);
            if ((i + 1) % d == 0) writer.WriteLine();
            else writer.Write(',');
        }
        Rows += flat.size(0);
    }

    /// <summary>Writes <paramref name="value"/> as <see cref="PlainNumber.Format"/> does, without a string where its shortest form is already plain.</summary>
    private void WriteNumber(float value)
    {
        if (float.IsFinite(value) && value.TryFormat(number, out int length, "R", CultureInfo.InvariantCulture) && number.AsSpan(0, length).IndexOf('E') < 0)
            writer.Write(number, 0, length);
        else
            writer.Write(PlainNumber.Format(value));
    }
}
