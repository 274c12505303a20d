namespace Tractable.IO;

/// <summary>An output (file or folder) that cannot be written where it is asked for; the message names it and says why.</summary>
public sealed class UnwritableOutputException : TractableInputException
{
    /// <summary>The error for <paramref name="path"/>: <c>"cannot write '{path}': {reason}"</c>.</summary>
    public UnwritableOutputException(string path, string reason, Exception? inner = null)
        : base($"cannot write '{path}': {reason}.", inner) => OutputPath = path;

    /// <summary>The output as it was asked for.</summary>
    public string OutputPath { get; }
}
