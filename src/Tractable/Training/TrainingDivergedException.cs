namespace Tractable.Training;

/// <summary>Training produced non-finite values that skipping and restarting from checkpoints could not cure.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
