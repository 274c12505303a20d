namespace Tractable.Data;

/// <summary>What reading a table does with a missing value (an empty cell or a token such as <c>NA</c>; see <see cref="CsvTable.MissingTokens"/>).</summary>
public enum MissingValuePolicy
{
    /// <summary>The table is refused, naming the file, row and column of the first missing value.</summary>
    Error,

    /// <summary>Rows with a missing value in a column that is read (a selected feature or the label) are left out.</summary>
    Drop,
}
