namespace Tractable.Training.Policies;

/// <summary>
/// The training log: a row of <c>metrics.csv</c> (<see cref="MetricsLog"/>) and a progress report every
/// <c>logEvery</c> steps, after each validation and after the last step, each with the mean loss of the steps
/// taken since the previous row. Between rows, a step that ends at least <c>interval</c> after the previous report
/// sends a report without a row, so slow steps still show progress while the CSV stays the same on every machine.
/// </summary>
public sealed class ProgressLog
{
    private readonly MetricsLog? csv;
    private readonly Action<TrainProgress>? onProgress;
    private readonly int logEvery;
    private readonly int totalSteps;
    private readonly int startStep;
    private readonly TimeSpan interval;
    private readonly TimeProvider clock;
    private long lastReport;
    private double lossSum;
    private int lossCount;

    /// <summary>A log for a session that starts from <paramref name="start"/> (a checkpoint's state, or a new run's).</summary>
    /// <param name="csv">The CSV file; null writes none.</param>
    /// <param name="onProgress">Receives the reports; null sends none.</param>
    /// <param name="logEvery">Steps between rows.</param>
    /// <param name="totalSteps">The run's last step.</param>
    /// <param name="start">The state this session starts from: its step (the speed counts this session's steps) and the losses not yet logged.</param>
    /// <param name="interval">The longest wait for a report while steps go on.</param>
    /// <param name="clock">The clock of <paramref name="interval"/> (the system's by default).</param>
    public ProgressLog(MetricsLog? csv, Action<TrainProgress>? onProgress, int logEvery, int totalSteps, TrainingState start,
        TimeSpan interval, TimeProvider? clock = null)
    {
        this.csv = csv;
        this.onProgress = onProgress;
        this.logEvery = logEvery;
        this.totalSteps = totalSteps;
        startStep = start.Step;
        lossSum = start.UnloggedLossSum;
        lossCount = start.UnloggedLossCount;
        this.interval = interval;
        this.clock = clock ?? TimeProvider.System;
        lastReport = this.clock.GetTimestamp();
    }

    /// <summary>Adds the loss of a step taken (skipped steps have none).</summary>
    public void AddLoss(double loss)
    {
        lossSum += loss;
        lossCount++;
    }

    /// <summary><paramref name="state"/> with the losses taken since the last row, for a checkpoint.</summary>
    public TrainingState WithUnloggedLoss(TrainingState state) => state with { UnloggedLossSum = lossSum, UnloggedLossCount = lossCount };

    /// <summary>Logs after <paramref name="step"/> steps, as far as is due.</summary>
    /// <param name="step">Steps completed.</param>
    /// <param name="learningRate">The learning rate of the step.</param>
    /// <param name="validated">Whether the step was followed by a validation.</param>
    /// <param name="lastValidation">The latest validation loss of this session, if any.</param>
    /// <param name="state">The run's state (best validation, skipped steps).</param>
    /// <param name="time">The time limit: training seconds and the time left.</param>
    public void AfterStep(int step, double learningRate, bool validated, double? lastValidation, TrainingState state, TimeLimit time)
    {
        bool row = step % logEvery == 0 || validated || step == totalSteps;
        if (!row && (onProgress is null || clock.GetElapsedTime(lastReport) < interval)) return;
        double? meanLoss = lossCount > 0 ? lossSum / lossCount : null;
        if (row)
        {
            csv?.Append(step, meanLoss, learningRate, validated ? lastValidation : null, time.TotalSeconds, state.SkippedSteps);
            lossSum = 0;
            lossCount = 0;
        }
        double rate = (step - startStep) / Math.Max(1e-9, time.Session.TotalSeconds);
        onProgress?.Invoke(new TrainProgress
        {
            Step = step, TotalSteps = totalSteps, Loss = meanLoss ?? double.NaN, LearningRate = learningRate,
            StepsPerSecond = rate, Eta = time.Eta(totalSteps - step, rate), ValidationLoss = lastValidation,
            BestValidation = double.IsFinite(state.BestValidation) ? state.BestValidation : null,
            SkippedSteps = state.SkippedSteps,
        });
        lastReport = clock.GetTimestamp();
    }
}
