using Tractable.IO;

namespace Tractable.Runs;

/// <summary>A run folder that another process is writing (training or resuming into it): a second writer is refused.</summary>
public sealed class RunFolderInUseException(string message, Exception? inner = null) : TractableInputException(message, inner);
