namespace Tractable.Training;

/// <summary>
/// A progress report, sent every <see cref="TrainerOptions.LogEvery"/> steps, after each validation, and between them
/// at least every <see cref="TrainerOptions.ProgressInterval"/> while steps go on.
/// </summary>
public sealed record TrainProgress
{
    /// <summary>Steps completed.</summary>
    public int Step { get; init; }

    /// <summary>Steps the run will take.</summary>
    public int TotalSteps { get; init; }

    /// <summary>Mean training loss since the previous row of the CSV log.</summary>
    public double Loss { get; init; }

    /// <summary>Current learning rate.</summary>
    public double LearningRate { get; init; }

    /// <summary>Training speed of this session.</summary>
    public double StepsPerSecond { get; init; }

    /// <summary>
    /// Estimated time until the run ends, evaluated: the steps left at this speed, or the time limit if that comes
    /// sooner, plus the final evaluations as the time limit estimates them.
    /// </summary>
    public TimeSpan Eta { get; init; }

    /// <summary>The latest validation loss, if any.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>The best validation loss so far, if any.</summary>
    public double? BestValidation { get; init; }

    /// <summary>Steps skipped for non-finite values so far.</summary>
    public long SkippedSteps { get; init; }
}

/// <summary>How a training run ended.</summary>
public sealed record TrainResult
{
    /// <summary>The step the run started from (0, or the checkpoint's step when resumed).</summary>
    public int StartStep { get; init; }

    /// <summary>Steps completed.</summary>
    public int Steps { get; init; }

    /// <summary>Training seconds over all sessions.</summary>
    public double TrainSeconds { get; init; }

    /// <summary>Best validation loss.</summary>
    public double BestValidation { get; init; }

    /// <summary>Steps skipped for a non-finite loss or gradient.</summary>
    public long SkippedSteps { get; init; }

    /// <summary>Restarts from a checkpoint after repeated non-finite steps.</summary>
    public int Restarts { get; init; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Whether the run was cancelled (a checkpoint was saved).</summary>
    public bool Cancelled { get; init; }
}
