namespace Tractable.Training;

/// <summary>What a resumable checkpoint records besides the weights and the optimizer state.</summary>
public sealed record TrainingState
{
    /// <summary>Steps completed.</summary>
    public int Step { get; init; }

    /// <summary>Best validation loss so far (infinity before the first validation).</summary>
    public double BestValidation { get; init; } = double.PositiveInfinity;

    /// <summary>Validations since the best one (early stopping).</summary>
    public int EvaluationsWithoutImprovement { get; init; }

    /// <summary>Training seconds accumulated over all sessions of this run.</summary>
    public double TrainSeconds { get; init; }

    /// <summary>Steps skipped for a non-finite loss or gradient.</summary>
    public long SkippedSteps { get; init; }

    /// <summary>Restarts from a checkpoint after repeated non-finite steps; each halves the learning rate.</summary>
    public int Restarts { get; init; }

    /// <summary>
    /// The sum of the losses of the steps taken since the training log's last row: the next row holds their mean, so a
    /// run resumed from a checkpoint between two rows writes the very row an uninterrupted run writes.
    /// </summary>
    public double UnloggedLossSum { get; init; }

    /// <summary>The number of losses in <see cref="UnloggedLossSum"/>.</summary>
    public int UnloggedLossCount { get; init; }
}
