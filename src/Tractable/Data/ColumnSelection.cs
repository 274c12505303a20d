namespace Tractable.Data;

/// <summary>
/// The feature columns to read from a table: a comma-separated list of header names, 1-based column indices and
/// index ranges, e.g. <c>temp,humidity</c> or <c>2,5-8</c>. An entry equal to a cell of the table's header names that
/// column; otherwise a whole number is a column index and <c>a-b</c> the indices a to b. Features keep the order given;
/// the other columns are not read at all (they may hold text).
/// </summary>
public sealed class ColumnSelection
{
    private ColumnSelection(string[] entries) => Entries = entries;

    /// <summary>The entries, trimmed, in the order given.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>Parses a comma-separated selection; an empty one or an empty entry is an <see cref="InvalidSettingException"/>.</summary>
    public static ColumnSelection Parse(string text)
    {
        string[] entries = text.Split(',').Select(e => e.Trim()).ToArray();
        if (entries.Any(e => e.Length == 0))
            throw new InvalidSettingException(nameof(DataOptions.Columns), $"'{text}' has an empty entry; columns are a comma-separated list of header names and 1-based indices (e.g. temp,humidity or 2,5-8).");
        return new ColumnSelection(entries);
    }

    /// <summary>The selection as it is written (<see cref="Parse"/> reads it back).</summary>
    public override string ToString() => string.Join(",", Entries);

    /// <summary>
    /// The 0-based indices of the selected columns of <paramref name="file"/>, a table of <paramref name="width"/> columns
    /// whose header row is <paramref name="header"/> (null: none); an entry that names no column is an
    /// <see cref="InvalidSettingException"/> that lists the columns there are.
    /// </summary>
    public int[] Resolve(IReadOnlyList<string>? header, int width, string file)
    {
        var indices = new List<int>();
        foreach (string entry in Entries)
        {
            int named = header is null ? -1 : IndexOf(header, entry);
            if (named >= 0) indices.Add(named);
            else if (int.TryParse(entry, out int one)) indices.Add(Index(one, width, file));
            else if (entry.Split('-') is [var a, var b] && int.TryParse(a, out int first) && int.TryParse(b, out int last) && first <= last)
                indices.AddRange(Enumerable.Range(first, last - first + 1).Select(i => Index(i, width, file)));
            else
                throw new InvalidSettingException(nameof(DataOptions.Columns), header is null
                    ? $"{file} has no header row, so its columns are chosen by 1-based index (1 to {width}); '{entry}' is not one."
                    : $"{file} has no column '{entry}'; its columns are {string.Join(", ", header.Take(20))}{(header.Count > 20 ? ", …" : "")} (or 1-based indices 1 to {width}).");
        }
        if (indices.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidSettingException(nameof(DataOptions.Columns), $"column {twice.Key + 1} of {file} is selected twice.");
        return indices.ToArray();
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (int i = 0; i < header.Count; i++)
            if (header[i] == name) return i;
        return -1;
    }

    private static int Index(int oneBased, int width, string file) => oneBased >= 1 && oneBased <= width
        ? oneBased - 1
        : throw new InvalidSettingException(nameof(DataOptions.Columns), $"column {oneBased} is not one of the {width} columns of {file} (indices are 1-based).");
}
