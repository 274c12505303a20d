using System.Diagnostics;
using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// Trains any <see cref="DensityModel"/> on any <see cref="ITrainingObjective"/> with Adam, warm-up and cosine
/// decay, gradient clipping, skipping of non-finite steps, periodic validation with early stopping, optional Polyak
/// averaging of the weights (<see cref="ParameterAverage"/>), a CSV log, resumable checkpoints, and cancellation that
/// saves before returning. Each step runs in its own dispose scope, so memory stays flat over any number of steps.
/// </summary>
/// <remarks>
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

    /// <summary>Training with other processes (<see cref="Distributed.DataParallelRun"/>); null trains in this process alone.</summary>
    public Distributed.DataParallel? Parallel { get; init; } // Distributed hook 1 of 4

    /// <summary>Trains <paramref name="model"/> (already on <paramref name="device"/>).</summary>
    public TrainResult Fit(DensityModel model, ITrainingObjective objective, Device device, bool resume = false,
        CancellationToken cancellation = default)
    {
        options.Validate();
        if (runDirectory is not null) Directory.CreateDirectory(runDirectory);
        var parameters = model.parameters().ToList();
        var optimizer = optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay);
        var checkpoints = runDirectory is null ? null : new CheckpointStore(runDirectory);
        var log = runDirectory is null ? null : new MetricsLog(Path.Combine(runDirectory, "metrics.csv"));
        using var generator = new Generator((ulong)options.Seed, device);

        var state = new TrainingState();
        if (resume)
        {
            if (checkpoints is null || !checkpoints.Exists)
                throw new FileNotFoundException($"No checkpoint to resume from in '{runDirectory}'.");
            state = checkpoints.Load(model, optimizer);
        }
        else
        {
            objective.Initialize(model, generator);
        }
        // Started after initialization or the checkpoint's weights, so that the average begins at the weights the
        // first step starts from; a checkpoint saved without an average (an older run) leaves it there too.
        using ParameterAverage? average = options.AverageDecay > 0 ? new ParameterAverage(model, options.AverageDecay) : null;
        if (average is not null && resume) checkpoints!.LoadAverage(average);
        int startStep = state.Step;
        Dictionary<string, Tensor>? best = null;
        if (resume && runDirectory is not null && ModelStore.Exists(runDirectory))
        {
            using DensityModel saved = ModelStore.Load(runDirectory);
            best = CloneState(saved);
        }

        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int lossCount = 0;
        double? lastValidation = null;
        bool stoppedEarly = false;
        model.train();
        int step = startStep;
        int consecutiveSkips = 0;
        while (step < options.Steps && !cancellation.IsCancellationRequested)
        {
            double lr = LearningRateSchedule.At(step, options) * Math.Pow(0.5, state.Restarts);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            generator.manual_seed(options.Seed * 1_000_003 + step);

            bool finite;
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                Tensor loss = objective.Loss(model, options.BatchSize, step, generator);
                double value = loss.item<float>();
                finite = double.IsFinite(value);
                if (finite)
                {
                    loss.backward();
                    Parallel?.ReduceGradients(parameters); // Distributed hook 2 of 4: the sum of the ranks' gradients
                    double norm = nn.utils.clip_grad_norm_(parameters,
                        options.ClipGradNorm > 0 ? options.ClipGradNorm : double.PositiveInfinity);
                    finite = double.IsFinite(norm);
                    if (finite)
                    {
                        optimizer.step();
                        average?.Update();
                        lossSum += value;
                        lossCount++;
                    }
                }
            }
            if (!finite)
            {
                state = state with { SkippedSteps = state.SkippedSteps + 1 };
                if (++consecutiveSkips >= options.MaxConsecutiveSkips && options.MaxConsecutiveSkips > 0)
                {
                    state = RestartFromCheckpoint(model, optimizer, checkpoints, state, average);
                    step = state.Step;
                    consecutiveSkips = 0;
                    continue;
                }
            }
            else
            {
                consecutiveSkips = 0;
            }
            step++;

            bool outOfTime = options.MaxMinutes > 0 && state.TrainSeconds + clock.Elapsed.TotalSeconds >= options.MaxMinutes * 60;
            if (Parallel is not null && options.MaxMinutes > 0) outOfTime = Parallel.AnyRank(outOfTime); // Distributed hook 3 of 4: one clock's stop is every rank's
            bool validate = step % options.EvalEvery == 0 || step == options.Steps || outOfTime;
            // Validation, the best model and model.bin use the averaged weights; training goes on from the raw ones.
            if (validate)
            {
                using IDisposable? averaged = average?.Apply();
                lastValidation = objective.Validate(model);
                if (lastValidation < state.BestValidation)
                {
                    state = state with { BestValidation = lastValidation.Value, EvaluationsWithoutImprovement = 0 };
                    DisposeState(best);
                    best = CloneState(model);
                    if (runDirectory is not null) ModelStore.Save(model, runDirectory);
                }
                else
                {
                    state = state with { EvaluationsWithoutImprovement = state.EvaluationsWithoutImprovement + 1 };
                    stoppedEarly = options.Patience > 0 && state.EvaluationsWithoutImprovement >= options.Patience;
                }
            }
            if (step % options.LogEvery == 0 || validate || step == options.Steps)
            {
                double seconds = state.TrainSeconds + clock.Elapsed.TotalSeconds;
                double? meanLoss = lossCount > 0 ? lossSum / lossCount : null;
                log?.Append(step, meanLoss, lr, validate ? lastValidation : null, seconds, state.SkippedSteps);
                double rate = (step - startStep) / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
                OnProgress?.Invoke(new TrainProgress
                {
                    Step = step, TotalSteps = options.Steps, Loss = meanLoss ?? double.NaN, LearningRate = lr,
                    StepsPerSecond = rate, Eta = TimeSpan.FromSeconds((options.Steps - step) / Math.Max(rate, 1e-9)),
                    ValidationLoss = lastValidation,
                    BestValidation = double.IsFinite(state.BestValidation) ? state.BestValidation : null,
                    SkippedSteps = state.SkippedSteps,
                });
                lossSum = 0;
                lossCount = 0;
            }
            bool checkpoint = options.CheckpointEvery > 0 && step % options.CheckpointEvery == 0;
            // A scheduled validation may itself use up the time left: stop now rather than validate again next step.
            outOfTime |= validate && options.MaxMinutes > 0 && state.TrainSeconds + clock.Elapsed.TotalSeconds >= options.MaxMinutes * 60;
            if (Parallel is not null && validate && options.MaxMinutes > 0) outOfTime = Parallel.AnyRank(outOfTime); // Distributed hook 4 of 4
            stoppedEarly |= outOfTime;
            if (checkpoints is not null && (checkpoint || stoppedEarly || step == options.Steps || cancellation.IsCancellationRequested))
                checkpoints.Save(model, optimizer, state with { Step = step, TrainSeconds = state.TrainSeconds + clock.Elapsed.TotalSeconds }, average);
            if (stoppedEarly) break;
        }

        if (best is not null) model.load_state_dict(best);
        else average?.CopyToModel();
        DisposeState(best);
        if (runDirectory is not null && !ModelStore.Exists(runDirectory)) ModelStore.Save(model, runDirectory);
        model.eval();
        return new TrainResult
        {
            StartStep = startStep, Steps = step, TrainSeconds = state.TrainSeconds + clock.Elapsed.TotalSeconds,
            BestValidation = state.BestValidation, SkippedSteps = state.SkippedSteps, StoppedEarly = stoppedEarly, Restarts = state.Restarts,
            Cancelled = cancellation.IsCancellationRequested && step < options.Steps,
        };
    }

    /// <summary>
    /// Repeated non-finite steps mean the weights or the optimizer state went bad: reload the last checkpoint (keeping
    /// the counts of skips and restarts) and go on at half the learning rate.
    /// </summary>
    private TrainingState RestartFromCheckpoint(DensityModel model, TorchSharp.Modules.OptimizerHelper optimizer,
        CheckpointStore? checkpoints, TrainingState state, ParameterAverage? average)
    {
        if (checkpoints is null || !checkpoints.Exists)
            throw new TrainingDivergedException($"{options.MaxConsecutiveSkips} non-finite steps in a row and no checkpoint to restart from.");
        if (state.Restarts >= options.MaxRestarts)
            throw new TrainingDivergedException($"Training diverged: {options.MaxRestarts} restarts from checkpoints did not help.");
        TrainingState saved = checkpoints.Load(model, optimizer);
        if (average is not null && !checkpoints.LoadAverage(average)) average.Reset();
        return saved with { SkippedSteps = state.SkippedSteps, Restarts = state.Restarts + 1, BestValidation = state.BestValidation };
    }

    /// <summary>A copy of the model's state that later steps do not change, owned by no dispose scope.</summary>
    private static Dictionary<string, Tensor> CloneState(nn.Module model)
    {
        using var scope = NewDisposeScope();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().MoveToOuterDisposeScope());
    }

    private static void DisposeState(Dictionary<string, Tensor>? state)
    {
        if (state is null) return;
        foreach (Tensor t in state.Values) t.Dispose();
    }
}
