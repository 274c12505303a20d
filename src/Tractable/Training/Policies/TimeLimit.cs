namespace Tractable.Training.Policies;

/// <summary>
/// The run's time limit (<see cref="TrainerOptions.MaxMinutes"/>) over all sessions, with time kept free for the
/// evaluations still to come when training stops: the final validation, estimated by the duration of the latest one,
/// and whatever evaluation the caller runs after training (for example the test split), as the caller estimates it:
/// a fixed time, and a multiple of the latest validation's duration. So a run given N minutes ends, evaluated, after
/// about N minutes rather than N plus its evaluation, and the ETA counts to that end.
/// </summary>
public sealed class TimeLimit
{
    private readonly double limitSeconds;
    private readonly double previousSeconds;
    private readonly TimeSpan finalEvaluation;
    private readonly double finalValidations;
    private readonly TimeProvider clock;
    private readonly long started;
    private TimeSpan lastValidation;

    /// <summary>Starts this session's clock.</summary>
    /// <param name="maxMinutes">The limit over all sessions; 0 for none.</param>
    /// <param name="previousSeconds">Training seconds of earlier sessions (from the checkpoint).</param>
    /// <param name="finalEvaluation">The caller's estimate of its evaluation after training.</param>
    /// <param name="clock">The clock (the system's by default).</param>
    /// <param name="finalValidations">
    /// The caller's evaluation after training in validations: it takes this many times the latest validation's duration
    /// (for example the test split's size over the validation split's), on top of <paramref name="finalEvaluation"/>.
    /// </param>
    public TimeLimit(double maxMinutes, double previousSeconds, TimeSpan finalEvaluation = default, TimeProvider? clock = null,
        double finalValidations = 0)
    {
        if (!(finalValidations >= 0) || double.IsInfinity(finalValidations))
            throw new ArgumentOutOfRangeException(nameof(finalValidations), finalValidations, "The evaluation estimate must be finite and not negative.");
        if (!(maxMinutes >= 0)) throw new ArgumentOutOfRangeException(nameof(maxMinutes), maxMinutes, "The limit must not be negative.");
        if (finalEvaluation < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(finalEvaluation), finalEvaluation, "The evaluation estimate must not be negative.");
        limitSeconds = maxMinutes * 60;
        this.previousSeconds = previousSeconds;
        this.finalEvaluation = finalEvaluation;
        this.finalValidations = finalValidations;
        this.clock = clock ?? TimeProvider.System;
        started = this.clock.GetTimestamp();
    }

    /// <summary>Time spent in this session.</summary>
    public TimeSpan Session => clock.GetElapsedTime(started);

    /// <summary>Training seconds over all sessions.</summary>
    public double TotalSeconds => previousSeconds + Session.TotalSeconds;

    /// <summary>
    /// Time kept free for the evaluations after training stops: the final validation and the caller's evaluation, both
    /// estimated from the latest validation's duration, plus the caller's fixed estimate.
    /// </summary>
    public TimeSpan Reserve => lastValidation * (1 + finalValidations) + finalEvaluation;

    /// <summary>Whether training must stop now to end, evaluated, within the limit (never without a limit).</summary>
    public bool IsReached => limitSeconds > 0 && TotalSeconds + Reserve.TotalSeconds >= limitSeconds;

    /// <summary>Training time left before the limit stops the run; null without a limit.</summary>
    public TimeSpan? Remaining => limitSeconds > 0 ? Seconds(limitSeconds - TotalSeconds - Reserve.TotalSeconds) : null;

    /// <summary>Runs a validation and remembers its duration as the estimate of the final one.</summary>
    public T MeasureValidation<T>(Func<T> validation)
    {
        long start = clock.GetTimestamp();
        T result = validation();
        lastValidation = clock.GetElapsedTime(start);
        return result;
    }

    /// <summary>
    /// The time until the run ends, evaluated: what <paramref name="stepsLeft"/> steps take at
    /// <paramref name="stepsPerSecond"/>, or the training time left under the limit if that is sooner, plus the
    /// <see cref="Reserve"/> for the evaluations that follow.
    /// </summary>
    public TimeSpan Eta(int stepsLeft, double stepsPerSecond)
    {
        TimeSpan bySteps = Seconds(stepsLeft / Math.Max(stepsPerSecond, 1e-9));
        TimeSpan training = Remaining is TimeSpan left && left < bySteps ? left : bySteps;
        return Seconds(training.TotalSeconds + Reserve.TotalSeconds);
    }

    /// <summary>A duration of <paramref name="seconds"/>, clamped to [0, <see cref="TimeSpan.MaxValue"/>] (NaN: the maximum).</summary>
    private static TimeSpan Seconds(double seconds) =>
        !(seconds < TimeSpan.MaxValue.TotalSeconds) ? TimeSpan.MaxValue : TimeSpan.FromSeconds(Math.Max(0, seconds));
}
