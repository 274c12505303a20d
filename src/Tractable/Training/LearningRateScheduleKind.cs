namespace Tractable.Training;

/// <summary>What the learning rate does after warm-up (<see cref="LearningRateSchedule"/>).</summary>
public enum LearningRateScheduleKind
{
    /// <summary>Cosine decay from the peak to <see cref="TrainerOptions.MinLearningRateFactor"/> × peak at the last step.</summary>
    Cosine,

    /// <summary>The peak rate until the end, so that stopping at any step leaves no schedule half done.</summary>
    Constant,
}
