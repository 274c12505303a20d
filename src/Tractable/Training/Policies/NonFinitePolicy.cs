namespace Tractable.Training.Policies;

/// <summary>
/// What to do about non-finite steps. A step whose loss or gradient norm is not finite is skipped and counted. After
/// <c>maxConsecutiveSkips</c> skips in a row the weights or the optimizer state have gone bad: training restarts from
/// the last checkpoint with half the learning rate of the previous attempt. When there is no checkpoint, or
/// <c>maxRestarts</c> restarts did not help, training stops with a <see cref="TrainingDivergedException"/>.
/// </summary>
/// <param name="maxConsecutiveSkips">Skips in a row that call for a restart; 0 never restarts (skips go on).</param>
/// <param name="maxRestarts">Restarts allowed before giving up.</param>
public sealed class NonFinitePolicy(int maxConsecutiveSkips, int maxRestarts)
{
    private int consecutiveSkips;

    /// <summary>The factor on the scheduled learning rate after the restarts so far: <c>0.5^restarts</c>.</summary>
    public static double LearningRateFactor(TrainingState state) => Math.Pow(0.5, state.Restarts);

    /// <summary>Records whether the step just tried was finite.</summary>
    /// <param name="finite">Whether the loss and the gradient norm were finite (and the step taken).</param>
    /// <param name="state">The run's state; a skip is counted in <see cref="TrainingState.SkippedSteps"/>.</param>
    /// <param name="canRestart">Whether a checkpoint exists to restart from.</param>
    /// <exception cref="TrainingDivergedException">A restart is due but impossible or the restarts are used up.</exception>
    public (TrainingState State, StepOutcome Outcome) Observe(bool finite, TrainingState state, bool canRestart)
    {
        if (finite)
        {
            consecutiveSkips = 0;
            return (state, StepOutcome.Taken);
        }
        state = state with { SkippedSteps = state.SkippedSteps + 1 };
        if (maxConsecutiveSkips == 0 || ++consecutiveSkips < maxConsecutiveSkips) return (state, StepOutcome.Skipped);
        if (!canRestart)
            throw new TrainingDivergedException($"{maxConsecutiveSkips} non-finite steps in a row and no checkpoint to restart from.");
        if (state.Restarts >= maxRestarts)
            throw new TrainingDivergedException($"Training diverged: {maxRestarts} restarts from checkpoints did not help.");
        consecutiveSkips = 0;
        return (state, StepOutcome.Restart);
    }

    /// <summary>
    /// The state to go on with after restoring the checkpoint whose state is <paramref name="restored"/>: its step,
    /// but the skips, the restarts (one more) and the best validation of the run so far.
    /// </summary>
    public static TrainingState AfterRestart(TrainingState restored, TrainingState current) =>
        restored with { SkippedSteps = current.SkippedSteps, Restarts = current.Restarts + 1, BestValidation = current.BestValidation };
}
