namespace Tractable.Training;

/// <summary>Optimization settings; the defaults suit the small models of the foundation on 2 cores.</summary>
public sealed record TrainerOptions
{
    /// <summary>Total optimizer steps (a resumed run continues up to this count).</summary>
    public int Steps { get; init; } = 10_000;

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Peak learning rate of Adam.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Steps of linear warm-up from 0 to the peak learning rate.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>After warm-up: cosine decay to <see cref="MinLearningRateFactor"/> × peak, or constant.</summary>
    public LearningRateScheduleKind Schedule { get; init; } = LearningRateScheduleKind.Cosine;

    /// <summary>Final learning rate as a fraction of the peak, for the cosine schedule.</summary>
    public double MinLearningRateFactor { get; init; } = 0.05;

    /// <summary>Gradient-norm clipping threshold (0 disables).</summary>
    public double ClipGradNorm { get; init; } = 10.0;

    /// <summary>Adam's decoupled weight decay (0 disables).</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// Decay of the exponential moving average of the weights (<see cref="ParameterAverage"/>); validation, the saved
    /// model and therefore evaluation use the average. 0 turns averaging off.
    /// </summary>
    public double AverageDecay { get; init; }

    /// <summary>Seed of initialization and of minibatch draws; the same seed gives the same run.</summary>
    public long Seed { get; init; }

    /// <summary>Validation every this many steps.</summary>
    public int EvalEvery { get; init; } = 500;

    /// <summary>Stop after this many validations without improvement (0 never stops early).</summary>
    public int Patience { get; init; }

    /// <summary>Save a resumable checkpoint every this many steps (0: only at the end).</summary>
    public int CheckpointEvery { get; init; } = 1000;

    /// <summary>
    /// After this many non-finite steps in a row, training restarts from the last checkpoint with half the learning
    /// rate (at most <see cref="MaxRestarts"/> times); 0 disables restarts.
    /// </summary>
    public int MaxConsecutiveSkips { get; init; } = 20;

    /// <summary>How many restarts from a checkpoint are allowed before training stops with an error.</summary>
    public int MaxRestarts { get; init; } = 3;

    /// <summary>
    /// Stop (validating and saving a checkpoint) once training, plus the time kept for the evaluations still to come
    /// (<see cref="Policies.TimeLimit"/>), reaches this many minutes over all sessions of the run (0: no limit).
    /// </summary>
    public double MaxMinutes { get; init; }

    /// <summary>Steps between rows of <c>metrics.csv</c> (each also a progress report).</summary>
    public int LogEvery { get; init; } = 25;

    /// <summary>
    /// Longest time between two progress reports: when steps are slow, a report (without a CSV row) is sent after the
    /// first step that ends this long after the previous report, so a run never looks stalled between log steps.
    /// </summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Examples per batch of validation (for sequences, samples per chunk); null keeps the objective's own default.
    /// Memory and speed depend on it; the figure only through rounding (and, for a sampled validation such as reverse KL,
    /// through how the draws are batched).
    /// </summary>
    public int? EvaluationBatchSize { get; init; }

    /// <summary>CPU threads of the tensor library, set when training starts; null leaves the setting alone (all cores by default).</summary>
    public int? Threads { get; init; }

    /// <summary>Checks the options, with messages that name the bad setting.</summary>
    public void Validate()
    {
        static void Require(bool ok, string setting, string problem)
        {
            if (!ok) throw new InvalidSettingException(setting, $"{setting} {problem}.");
        }
        Require(Steps >= 1, nameof(Steps), $"must be at least 1, got {Steps}");
        Require(BatchSize >= 1, nameof(BatchSize), $"must be at least 1, got {BatchSize}");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), $"must be positive and finite, got {LearningRate}");
        Require(WarmupSteps >= 0, nameof(WarmupSteps), $"must not be negative, got {WarmupSteps}");
        Require(EvalEvery >= 1, nameof(EvalEvery), $"must be at least 1, got {EvalEvery}");
        Require(LogEvery >= 1, nameof(LogEvery), $"must be at least 1, got {LogEvery}");
        Require(CheckpointEvery >= 0, nameof(CheckpointEvery), $"must not be negative, got {CheckpointEvery}");
        Require(Patience >= 0, nameof(Patience), $"must not be negative, got {Patience}");
        Require(ClipGradNorm >= 0 && double.IsFinite(ClipGradNorm), nameof(ClipGradNorm), $"must be 0 (off) or positive, got {ClipGradNorm}");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), $"must not be negative, got {WeightDecay}");
        Require(MaxMinutes >= 0 && double.IsFinite(MaxMinutes), nameof(MaxMinutes), $"must be 0 (no limit) or positive, got {MaxMinutes}");
        Require(AverageDecay is >= 0 and < 1, nameof(AverageDecay), $"must be in [0, 1), got {AverageDecay}");
        Require(MinLearningRateFactor is >= 0 and <= 1, nameof(MinLearningRateFactor), $"must be in [0, 1], got {MinLearningRateFactor}");
        Require(Enum.IsDefined(Schedule), nameof(Schedule), $"must be cosine or constant, got {Schedule}");
        Require(MaxConsecutiveSkips >= 0, nameof(MaxConsecutiveSkips), $"must not be negative, got {MaxConsecutiveSkips}");
        Require(MaxRestarts >= 0, nameof(MaxRestarts), $"must not be negative, got {MaxRestarts}");
        Require(ProgressInterval > TimeSpan.Zero, nameof(ProgressInterval), $"must be positive, got {ProgressInterval}");
        Require(EvaluationBatchSize is null or >= 1, nameof(EvaluationBatchSize), $"must be at least 1 when given, got {EvaluationBatchSize}");
        Require(Threads is null or >= 1, nameof(Threads), $"must be at least 1 when given, got {Threads}");
    }

}
