using Tractable.Data;
using Tractable.Data.Energy;
using Tractable.Models;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;
using Tractable.Tests.Support;

namespace Tractable.Tests.Training;

[Collection(Support.Sequential.Name)]
public sealed class TrainerTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static DensityModel SmallFlow()
    {
        manual_seed(0);
        return new RealNvpConfig { Features = 2, Couplings = 2, HiddenFeatures = 16 }.Build();
    }

    private static readonly DataSplits Moons = DatasetCatalog.Load("moons", new DataOptions { ToyTrainSize = 2000, ToyValidationSize = 500, ToyTestSize = 500 });

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.99)]   // the average of the weights is saved with the checkpoint and restored
    public void ResumeContinuesFromTheSavedStepAndMatchesAnUninterruptedRun(double averageDecay)
    {
        var options = new TrainerOptions
        {
            Steps = 40, EvalEvery = 20, CheckpointEvery = 20, WarmupSteps = 5, LogEvery = 10, Schedule = LearningRateScheduleKind.Constant,
            AverageDecay = averageDecay,
        };
        string interrupted = Path.Combine(folder, "a"), straight = Path.Combine(folder, "b");

        new Trainer(options, interrupted).Fit(SmallFlow(), new MaximumLikelihood(Moons, CPU), CPU);
        DensityModel resumed = SmallFlow();
        TrainResult second = new Trainer(options with { Steps = 80 }, interrupted).Fit(resumed, new MaximumLikelihood(Moons, CPU), CPU, resume: true);
        Assert.Equal(40, second.StartStep);
        Assert.Equal(80, second.Steps);

        DensityModel reference = SmallFlow();
        new Trainer(options with { Steps = 80 }, straight).Fit(reference, new MaximumLikelihood(Moons, CPU), CPU);
        using var _ = no_grad();
        Tensor x = Moons.Test.X;
        Assert.True((resumed.LogProb(x) - reference.LogProb(x)).abs().max().item<float>() < 1e-5,
            "a resumed run should equal an uninterrupted one");
        Assert.Equal(averageDecay > 0, File.Exists(Path.Combine(interrupted, "checkpoint", "average.bin")));

        string[] steps = File.ReadAllLines(Path.Combine(interrupted, "metrics.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal("10", steps[0]);
        Assert.Equal("80", steps[^1]);
        Assert.Contains("50", steps);
    }

    [Fact]
    public void CancellationSavesACheckpointThatResumes()
    {
        using var cts = new CancellationTokenSource();
        var options = new TrainerOptions { Steps = 1000, EvalEvery = 100, CheckpointEvery = 0, LogEvery = 10 };
        var trainer = new Trainer(options, folder) { OnProgress = p => { if (p.Step >= 30) cts.Cancel(); } };
        TrainResult stopped = trainer.Fit(SmallFlow(), new MaximumLikelihood(Moons, CPU), CPU, cancellation: cts.Token);
        Assert.True(stopped.Cancelled);
        Assert.Equal(30, stopped.Steps);
        Assert.Equal(30, new CheckpointStore(folder).SavedStep());
        Assert.True(ModelStore.Exists(folder), "a stopped run still leaves a usable model");
    }

    [Fact]
    public void MemoryStaysFlatOverManySteps()
    {
        // After the first validation (which keeps a copy of the best weights) nothing may accumulate.
        var live = new List<long>();
        var options = new TrainerOptions { Steps = 1000, EvalEvery = 200, LogEvery = 50, BatchSize = 64 };
        var trainer = new Trainer(options)
        {
            OnProgress = p => { if (p.Step > options.EvalEvery) live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount); },
        };
        trainer.Fit(SmallFlow(), new MaximumLikelihood(Moons, CPU), CPU);
        long[] steady = live.ToArray();
        Assert.True(steady.Max() == steady.Min(), $"live tensors drift over training: {string.Join(", ", live)}");
    }

    [Fact]
    public void EarlyStoppingKeepsTheBestModel()
    {
        // A learning rate far too high makes validation worse after the first evaluation.
        var options = new TrainerOptions { Steps = 2000, EvalEvery = 20, Patience = 3, LearningRate = 5e-3, WarmupSteps = 0 };
        DensityModel model = SmallFlow();
        TrainResult r = new Trainer(options).Fit(model, new MaximumLikelihood(Moons, CPU), CPU);
        double final = new MaximumLikelihood(Moons, CPU).Validate(model);
        Assert.Equal(r.BestValidation, final, 4);
        if (r.StoppedEarly) Assert.True(r.Steps < 2000);
    }

    [Fact]
    public void NonFiniteLossesAreSkippedAndCounted()
    {
        var objective = new PoisonedObjective(new MaximumLikelihood(Moons, CPU), everyNth: 5);
        var r = new Trainer(new TrainerOptions { Steps = 50, EvalEvery = 50 }).Fit(SmallFlow(), objective, CPU);
        Assert.Equal(10, r.SkippedSteps);
        Assert.True(double.IsFinite(r.BestValidation));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.99)]
    public void RepeatedNonFiniteStepsRestartFromTheLastCheckpoint(double averageDecay)
    {
        // Steps 30-49 poison the loss 20 times in a row; the trainer goes back to the checkpoint of step 25.
        int poisoned = 0;
        var objective = new DelegatingObjective(new MaximumLikelihood(Moons, CPU), step => step >= 30 && poisoned++ < 20);
        var options = new TrainerOptions { Steps = 60, EvalEvery = 30, CheckpointEvery = 25, MaxConsecutiveSkips = 20, AverageDecay = averageDecay };
        TrainResult r = new Trainer(options, folder).Fit(SmallFlow(), objective, CPU);
        Assert.Equal(1, r.Restarts);
        Assert.Equal(20, r.SkippedSteps);
        Assert.Equal(60, r.Steps);
        if (averageDecay > 0)
        {
            // Steps 0-29 updated the average 30 times; the restart went back to its 25 updates of step 25, and steps
            // 25-59 added 35 (65 if the restart had kept the average).
            using var average = new ParameterAverage(SmallFlow(), averageDecay);
            Assert.True(new CheckpointStore(folder).LoadAverage(average));
            Assert.Equal(60, average.Updates);
        }
    }

    [Fact]
    public void DivergenceWithoutACheckpointIsAClearError()
    {
        var objective = new DelegatingObjective(new MaximumLikelihood(Moons, CPU), _ => true);
        var e = Assert.Throws<TrainingDivergedException>(() =>
            new Trainer(new TrainerOptions { Steps = 50, MaxConsecutiveSkips = 10 }).Fit(SmallFlow(), objective, CPU));
        Assert.Contains("non-finite", e.Message);
    }

    [Fact]
    public void PlanarFlowFitsU1ByReverseKl()
    {
        manual_seed(0);
        DensityModel flow = new PlanarConfig { Features = 2, Layers = 16 }.Build();
        var objective = new ReverseKl(PotentialEnergy.Find("u1")!);
        double before = objective.Validate(flow);
        new Trainer(new TrainerOptions { Steps = 1500, EvalEvery = 500, LearningRate = 5e-3 }).Fit(flow, objective, CPU);
        double after = objective.Validate(flow);
        Assert.True(after < before - 0.5, $"reverse KL - log Z went from {before:F3} to {after:F3}");
    }

    /// <summary>
    /// A validation that uses up the time limit ends the run at that step, with that validation as the last one: no
    /// second validation of the same weights on the next step.
    /// </summary>
    [Fact]
    public void AValidationThatUsesUpTheTimeLimitEndsTheRun()
    {
        int validations = 0;
        var objective = new SlowValidation(new MaximumLikelihood(Moons, CPU), () => validations++, TimeSpan.FromSeconds(1.5));
        var options = new TrainerOptions { Steps = 1000, EvalEvery = 3, MaxMinutes = 1.0 / 60, CheckpointEvery = 0 };
        TrainResult r = new Trainer(options, folder).Fit(SmallFlow(), objective, CPU);
        Assert.True(r.StoppedEarly);
        Assert.True(r.Steps <= 3, $"stopped at step {r.Steps}");
        Assert.Equal(1, validations);
        Assert.True(new CheckpointStore(folder).Exists);
    }

    private sealed class SlowValidation(ITrainingObjective inner, Action counted, TimeSpan delay) : ITrainingObjective
    {
        public void Initialize(DensityModel model, Generator generator) => inner.Initialize(model, generator);

        public Tensor Loss(DensityModel model, int batchSize, int step, Generator generator) => inner.Loss(model, batchSize, step, generator);

        public double Validate(DensityModel model)
        {
            counted();
            Thread.Sleep(delay);
            return inner.Validate(model);
        }
    }

    private sealed class PoisonedObjective(ITrainingObjective inner, int everyNth) : ITrainingObjective
    {
        public void Initialize(DensityModel model, Generator generator) => inner.Initialize(model, generator);

        public Tensor Loss(DensityModel model, int batchSize, int step, Generator generator)
        {
            Tensor loss = inner.Loss(model, batchSize, step, generator);
            return step % everyNth == 0 ? loss * double.NaN : loss;
        }

        public double Validate(DensityModel model) => inner.Validate(model);
    }

    /// <summary>Makes the loss NaN whenever <paramref name="poison"/> says so.</summary>
    private sealed class DelegatingObjective(ITrainingObjective inner, Func<int, bool> poison) : ITrainingObjective
    {
        public void Initialize(DensityModel model, Generator generator) => inner.Initialize(model, generator);

        public Tensor Loss(DensityModel model, int batchSize, int step, Generator generator)
        {
            Tensor loss = inner.Loss(model, batchSize, step, generator);
            return poison(step) ? loss * double.NaN : loss;
        }

        public double Validate(DensityModel model) => inner.Validate(model);
    }
}
