using Tractable.Models;
using Tractable.Training.Policies;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// Trains any <see cref="DensityModel"/> on any <see cref="ITrainingObjective"/> with Adam, warm-up and cosine
/// decay, gradient clipping, skipping of non-finite steps, periodic validation with early stopping, optional Polyak
/// averaging of the weights (<see cref="ParameterAverage"/>), a CSV log, resumable checkpoints, a time limit, and
/// cancellation that saves before returning. Each step runs in its own dispose scope, so memory stays flat over any
/// number of steps.
/// </summary>
/// <remarks>
/// <see cref="Fit"/> is the loop; each decision in it is a policy of its own, in <c>Tractable.Training.Policies</c>:
/// <see cref="CheckpointPolicy"/>, <see cref="ValidationPolicy"/> with <see cref="BestModel"/>,
/// <see cref="AveragingPolicy"/>, <see cref="NonFinitePolicy"/>, <see cref="TimeLimit"/> and <see cref="ProgressLog"/>.
/// Minibatches are drawn from a generator reseeded from (seed, step), so a resumed run draws the same batches
/// as an uninterrupted one. When a run directory is given, the best model by validation is saved there
/// (<see cref="ModelStore"/>) and is the model left in memory at the end. With
/// <see cref="TrainerOptions.AverageDecay"/> &gt; 0, validation and that best model use the averaged weights, and the
/// checkpoint keeps the average so that a resumed run equals an uninterrupted one.
/// </remarks>
public sealed class Trainer(TrainerOptions options, string? runDirectory = null)
{
    /// <summary>Called with each progress report.</summary>
    public Action<TrainProgress>? OnProgress { get; init; }

    /// <summary>
    /// The caller's estimate of the evaluation it runs after <see cref="Fit"/> (for example on the test split): the
    /// time limit (<see cref="TrainerOptions.MaxMinutes"/>) keeps this much time free for it.
    /// </summary>
    public TimeSpan FinalEvaluationEstimate { get; init; }

    /// <summary>
    /// The caller's evaluation after <see cref="Fit"/> in validations: the time limit keeps this many times the latest
    /// validation's duration free for it (for example the test split's size over the validation split's).
    /// </summary>
    public double FinalEvaluationScale { get; init; }

    /// <summary>The clock of the time limit and of progress reports (the system's by default).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Training with other processes (<see cref="Distributed.DataParallelRun"/>); null trains in this process alone.</summary>
    public Distributed.DataParallel? Parallel { get; init; }

    /// <summary>Trains <paramref name="model"/> (already on <paramref name="device"/>).</summary>
    /// <param name="model">The model, initialized by the objective unless resuming.</param>
    /// <param name="objective">The loss and the validation figure.</param>
    /// <param name="device">Where the model and its batches live.</param>
    /// <param name="resume">Continue from the checkpoint in the run directory.</param>
    /// <param name="cancellation">Stops after the current step, saving a checkpoint.</param>
    public TrainResult Fit(DensityModel model, ITrainingObjective objective, Device device, bool resume = false,
        CancellationToken cancellation = default)
    {
        options.Validate();
        if (options.Threads is int threads) set_num_threads(threads);
        if (runDirectory is not null) Directory.CreateDirectory(runDirectory);
        var parameters = model.parameters().ToList();
        OptimizerHelper optimizer = CreateOptimizer(parameters);
        var checkpoints = new CheckpointPolicy(runDirectory is null ? null : new CheckpointStore(runDirectory), options.CheckpointEvery);
        using var generator = new Generator((ulong)options.Seed, device);
        if (!resume) objective.Initialize(model, generator);
        // Started after initialization, so that the average begins at the weights the first step starts from; a
        // resumed run replaces it with the checkpoint's average (or restarts it at the checkpoint's weights).
        using var averaging = new AveragingPolicy(model, options.AverageDecay);
        TrainingState state = resume ? checkpoints.Restore(model, optimizer, averaging.Average, objective.Randomness) : new TrainingState();
        using var best = new BestModel(runDirectory);
        if (resume) best.LoadSaved();
        var validation = new ValidationPolicy(options.EvalEvery, options.Patience, options.Steps);
        var nonFinite = new NonFinitePolicy(options.MaxConsecutiveSkips, options.MaxRestarts);
        var time = new TimeLimit(options.MaxMinutes, state.TrainSeconds, FinalEvaluationEstimate, Clock, FinalEvaluationScale);
        MetricsLog? curve = runDirectory is null ? null : new MetricsLog(Path.Combine(runDirectory, "metrics.csv"));
        // Rows written after the checkpoint by the interrupted session are written again from here on.
        if (resume) curve?.TruncateAfter(state.Step);
        var log = new ProgressLog(curve,
            OnProgress, options.LogEvery, options.Steps, state, options.ProgressInterval, Clock);

        int startStep = state.Step, step = startStep;
        double? lastValidation = null;
        bool stopped = false;
        model.train();
        while (step < options.Steps && !cancellation.IsCancellationRequested)
        {
            double lr = LearningRateSchedule.At(step, options) * NonFinitePolicy.LearningRateFactor(state);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            generator.manual_seed(options.Seed * 1_000_003 + step);
            double? loss = Step(model, objective, optimizer, parameters, generator, averaging, step);
            (state, StepOutcome outcome) = nonFinite.Observe(loss is not null, state, checkpoints.CanRestore);
            if (outcome == StepOutcome.Restart)
            {
                state = NonFinitePolicy.AfterRestart(checkpoints.Restore(model, optimizer, averaging.Average, objective.Randomness), state);
                step = state.Step;
                continue;
            }
            if (loss is double taken) log.AddLoss(taken);
            step++;

            bool validated = validation.IsDue(step);
            if (validated) RunValidation();
            // Out of time: validate the weights training ends with (unless that was just done), then stop.
            bool outOfTime = time.IsReached;
            // With other processes, one clock's stop is every rank's, so that all stop at the same step.
            if (Parallel is not null && options.MaxMinutes > 0) outOfTime = Parallel.AnyRank(outOfTime);
            if (outOfTime && !validated)
            {
                RunValidation();
                validated = true;
            }
            stopped |= outOfTime;
            log.AfterStep(step, lr, validated, lastValidation, state, time);
            bool ending = stopped || step == options.Steps || cancellation.IsCancellationRequested;
            if (checkpoints.IsDue(step, ending))
                checkpoints.Save(model, optimizer, log.WithUnloggedLoss(state with { Step = step, TrainSeconds = time.TotalSeconds }),
                    averaging.Average, objective.Randomness);
            if (stopped) break;
        }

        if (!best.RestoreInto(model)) averaging.Finish();
        if (runDirectory is not null && !ModelStore.Exists(runDirectory))
        {
            if (FiniteWeights.NonFinite(model) is { Count: > 0 } bad)
                throw new TrainingDivergedException($"Training ended with weights that are not finite ({bad[0]}); no model was saved.");
            ModelStore.Save(model, runDirectory);
        }
        model.eval();
        return new TrainResult
        {
            StartStep = startStep, Steps = step, TrainSeconds = time.TotalSeconds, BestValidation = state.BestValidation,
            SkippedSteps = state.SkippedSteps, StoppedEarly = stopped, Restarts = state.Restarts,
            Cancelled = cancellation.IsCancellationRequested && step < options.Steps,
        };

        // Validation, the best model and model.bin use the averaged weights; training goes on from the raw ones.
        void RunValidation()
        {
            using IDisposable? averaged = averaging.ForEvaluation();
            double value = time.MeasureValidation(() => objective.Validate(model, options.EvaluationBatchSize));
            (state, bool improved, bool stopEarly) = validation.Observe(state, value);
            if (improved) best.Keep(model);
            lastValidation = value;
            stopped |= stopEarly;
        }
    }

    /// <summary>The optimizer of a run: every optimizer the trainer uses is made here.</summary>
    /// <remarks>AdamW over one flat parameter buffer and one flat gradient buffer: a few fused operations a step (docs/benchmarks.md).</remarks>
    private OptimizerHelper CreateOptimizer(IEnumerable<Parameter> parameters) =>
        new AdamW(parameters, options.LearningRate, weightDecay: options.WeightDecay);

    /// <summary>
    /// One optimizer step in its own dispose scope. Returns the loss, or null when the loss or the gradient norm is not
    /// finite, in which case the weights are left as they were.
    /// </summary>
    private double? Step(DensityModel model, ITrainingObjective objective, OptimizerHelper optimizer,
        IReadOnlyList<Parameter> parameters, Generator generator, AveragingPolicy averaging, int step)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = objective.Loss(model, options.BatchSize, step, generator);
        double value = loss.item<float>();
        if (!double.IsFinite(value)) return null;
        loss.backward();
        Parallel?.ReduceGradients(parameters);      // with other processes: the sum of every rank's gradients
        double norm = nn.utils.clip_grad_norm_(parameters, options.ClipGradNorm > 0 ? options.ClipGradNorm : double.PositiveInfinity);
        if (!double.IsFinite(norm)) return null;
        optimizer.step();
        averaging.AfterStep();
        return value;
    }
}
