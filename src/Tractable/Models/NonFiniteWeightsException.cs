using Tractable.IO;

namespace Tractable.Models;

/// <summary>
/// Saved weights that hold NaN or infinite values (a run that diverged, or a damaged file): a model with them would
/// give NaN likelihoods and samples, so it is refused on loading. The message names the file and the tensors.
/// </summary>
public sealed class NonFiniteWeightsException(string message) : TractableInputException(message);
