using Tractable.IO;

namespace Tractable.Data;

/// <summary>Input data that cannot be used, with the file, row and column that are wrong when known.</summary>
public sealed class DataFormatException(string message, Exception? inner = null) : TractableInputException(message, inner)
{
    /// <summary>An error located at a 1-based <paramref name="row"/> and <paramref name="column"/> of <paramref name="file"/>.</summary>
    public static DataFormatException At(string file, long row, int column, string problem) =>
        new($"{file}: row {row}, column {column}: {problem}");
}
