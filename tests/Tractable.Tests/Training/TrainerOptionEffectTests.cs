using Microsoft.Extensions.Time.Testing;
using Tractable.Data;
using Tractable.Models;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Tests.Training;

/// <summary>What the trainer does with its time limit, evaluation batch size, threads and progress interval.</summary>
[Collection(Support.Sequential.Name)]
public sealed class TrainerOptionEffectTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-train-options-").FullName;
    private readonly FakeTimeProvider clock = new();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static DensityModel SmallFlow()
    {
        manual_seed(0);
        return new RealNvpConfig { Features = 2, Couplings = 2, HiddenFeatures = 16 }.Build();
    }

    private static readonly DataSplits Moons = DatasetCatalog.Load("moons", new DataOptions { ToyTrainSize = 500, ToyValidationSize = 200, ToyTestSize = 200 });

    [Fact]
    public void TheTimeLimitKeepsTimeForTheFinalEvaluation()
    {
        // The clock stands still, so only the estimate of the evaluation after training can use up the minute.
        var objective = new Recording(new MaximumLikelihood(Moons, CPU), clock, TimeSpan.Zero);
        var options = new TrainerOptions { Steps = 20, EvalEvery = 10, MaxMinutes = 1, CheckpointEvery = 0, BatchSize = 64 };
        TrainResult r = new Trainer(options, folder) { Clock = clock, FinalEvaluationEstimate = TimeSpan.FromMinutes(1) }
            .Fit(SmallFlow(), objective, CPU);
        Assert.True(r.StoppedEarly);
        Assert.Equal(1, r.Steps);
        Assert.Equal(1, objective.Validations);
        Assert.Equal(1, new CheckpointStore(folder).SavedStep());

        TrainResult unlimited = new Trainer(options, Path.Combine(folder, "b")) { Clock = clock, FinalEvaluationEstimate = TimeSpan.FromSeconds(59) }
            .Fit(SmallFlow(), new MaximumLikelihood(Moons, CPU), CPU);
        Assert.False(unlimited.StoppedEarly);
        Assert.Equal(20, unlimited.Steps);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(64)]
    public void TheEvaluationBatchSizeReachesTheObjective(int? batchSize)
    {
        var objective = new Recording(new MaximumLikelihood(Moons, CPU), clock, TimeSpan.Zero);
        new Trainer(new TrainerOptions { Steps = 4, EvalEvery = 2, EvaluationBatchSize = batchSize }).Fit(SmallFlow(), objective, CPU);
        Assert.Equal([batchSize, batchSize], objective.BatchSizes);
    }

    [Fact]
    public void TheValidationFigureDoesNotDependOnTheBatchSize()
    {
        using DensityModel model = SmallFlow();
        ITrainingObjective objective = new MaximumLikelihood(Moons, CPU);
        Assert.Equal(objective.Validate(model), objective.Validate(model, 7), 5);
    }

    [Fact]
    public void ThreadsAreSetWhenGiven()
    {
        int before = get_num_threads();
        try
        {
            new Trainer(new TrainerOptions { Steps = 1, Threads = 1 }).Fit(SmallFlow(), new MaximumLikelihood(Moons, CPU), CPU);
            Assert.Equal(1, get_num_threads());
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void SlowStepsStillReportProgressBetweenLogSteps()
    {
        // 4 s a step, a report at least every 10 s: steps 3, 6 and 9, and the last step's row.
        var objective = new Recording(new MaximumLikelihood(Moons, CPU), clock, TimeSpan.FromSeconds(4));
        var reported = new List<int>();
        var options = new TrainerOptions { Steps = 10, EvalEvery = 100, LogEvery = 100, ProgressInterval = TimeSpan.FromSeconds(10) };
        new Trainer(options, folder) { Clock = clock, OnProgress = p => reported.Add(p.Step) }.Fit(SmallFlow(), objective, CPU);
        Assert.Equal([3, 6, 9, 10], reported);
        Assert.Equal(["10"], File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Skip(1).Select(l => l.Split(',')[0]));
    }

    /// <summary>Counts validations and their batch sizes; each training step advances the fake clock.</summary>
    private sealed class Recording(ITrainingObjective inner, FakeTimeProvider clock, TimeSpan perStep) : ITrainingObjective
    {
        public int Validations => BatchSizes.Count;

        public List<int?> BatchSizes { get; } = [];

        public void Initialize(DensityModel model, Generator generator) => inner.Initialize(model, generator);

        public Tensor Loss(DensityModel model, int batchSize, int step, Generator generator)
        {
            clock.Advance(perStep);
            return inner.Loss(model, batchSize, step, generator);
        }

        public double Validate(DensityModel model) => Validate(model, null);

        public double Validate(DensityModel model, int? batchSize)
        {
            BatchSizes.Add(batchSize);
            return inner.Validate(model, batchSize);
        }
    }
}
