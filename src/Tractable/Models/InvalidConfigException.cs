using Tractable.IO;

namespace Tractable.Models;

/// <summary>
/// A model configuration with a field out of bounds (a non-positive layer count, an unknown name, a size whose model
/// would not fit in memory). The message names the field as <c>model.json</c> spells it.
/// </summary>
public sealed class InvalidConfigException(string message) : TractableInputException(message);
