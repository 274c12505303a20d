namespace Tractable.IO;

/// <summary>
/// An input the library cannot use: a data file, saved model, checkpoint, configuration or run folder that is missing
/// a piece, malformed, out of bounds or in use. The message names the input (file, field) and the problem in one line,
/// so that a command line can print it as it is; every such error of the library derives from this type.
/// </summary>
public abstract class TractableInputException : Exception
{
    /// <summary>Creates the error with its one-line <paramref name="message"/> and the error that revealed it, if any.</summary>
    protected TractableInputException(string message, Exception? inner = null) : base(message, inner) { }
}
