namespace Tractable.Training;

/// <summary>Linear warm-up to the peak rate, then cosine decay (or constant): a pure function of the step, so resuming needs no state.</summary>
public static class LearningRateSchedule
{
    /// <summary>The learning rate at 0-based <paramref name="step"/>.</summary>
    public static double At(int step, TrainerOptions o)
    {
        if (step < o.WarmupSteps) return o.LearningRate * (step + 1) / o.WarmupSteps;
        if (o.Schedule == LearningRateScheduleKind.Constant) return o.LearningRate;
        double progress = Math.Clamp((double)(step - o.WarmupSteps) / Math.Max(1, o.Steps - o.WarmupSteps), 0, 1);
        double floor = o.LearningRate * o.MinLearningRateFactor;
        return floor + 0.5 * (o.LearningRate - floor) * (1 + Math.Cos(Math.PI * progress));
    }
}
