namespace Tractable.IO;

/// <summary>
/// A file the library wrote (model weights, optimizer state, checkpoint records, JSON documents) that cannot be read
/// back: empty, truncated, damaged or not of the expected kind. The message names the file and what is wrong.
/// </summary>
public sealed class CorruptFileException : TractableInputException
{
    /// <summary>The error for <paramref name="path"/>: <c>"{path}: {problem}"</c>.</summary>
    public CorruptFileException(string path, string problem, Exception? inner = null) : base($"{path}: {problem}", inner) => FilePath = path;

    /// <summary>The file that cannot be read.</summary>
    public string FilePath { get; }
}
