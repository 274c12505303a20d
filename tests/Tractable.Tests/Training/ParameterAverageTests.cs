using Tractable.Data;
using Tractable.Models;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Training;

[Collection(Support.Sequential.Name)]
public sealed class ParameterAverageTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-average-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly DataSplits Moons = DatasetCatalog.Load("moons", new DataOptions { ToyTrainSize = 2000, ToyValidationSize = 500, ToyTestSize = 500 });

    /// <summary>A 2→1 linear layer whose weight and bias are set by hand.</summary>
    private static void Set(nn.Module linear, double[] weight, double bias)
    {
        using var _ = no_grad();
        var p = linear.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        p["weight"].copy_(tensor(weight, dtype: float64).reshape(1, 2));
        p["bias"].copy_(tensor(new[] { bias }, dtype: float64));
    }

    private static double[] Values(nn.Module linear) =>
        linear.named_parameters().OrderBy(kv => kv.name).SelectMany(kv => kv.parameter.detach().flatten().data<double>().ToArray()).ToArray();

    [Fact]
    public void UpdatesFollowTheWarmedUpExponentialMovingAverage()
    {
        using var linear = nn.Linear(2, 1, dtype: float64);
        // Parameter order by name: bias, weight[0], weight[1].
        double[][] steps = [[0.5, 1.0, -2.0], [1.5, 3.0, 0.25], [-0.5, -1.0, 4.0], [2.0, 0.5, 0.5]];
        Set(linear, [steps[0][1], steps[0][2]], steps[0][0]);
        const double decay = 0.95;
        using var average = new ParameterAverage(linear, decay);

        double[] expected = steps[0].ToArray();
        for (int n = 0; n < 3; n++)
        {
            double[] theta = steps[n + 1];
            Set(linear, [theta[1], theta[2]], theta[0]);
            average.Update();
            double d = Math.Min(decay, (1.0 + n) / (10.0 + n));
            for (int k = 0; k < expected.Length; k++) expected[k] = d * expected[k] + (1 - d) * theta[k];
        }

        Assert.Equal(3, average.Updates);
        double[] actual = [average["bias"].item<double>(), .. average["weight"].flatten().data<double>().ToArray()];
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], actual[k], 12);
        Assert.Equal(steps[3], Values(linear));   // updating leaves the parameters alone
    }

    [Fact]
    public void ApplySwapsInTheAverageAndDisposeRestoresTheRawWeightsExactly()
    {
        using var linear = nn.Linear(2, 1, dtype: float64);
        Set(linear, [1.0, 2.0], 3.0);
        using var average = new ParameterAverage(linear, 0.9);
        Set(linear, [0.1234567891, -7.0], 1e-9);
        average.Update();
        double[] raw = Values(linear);
        double[] averaged = [average["bias"].item<double>(), .. average["weight"].flatten().data<double>().ToArray()];

        using (average.Apply())
        {
            Assert.Equal(averaged, Values(linear));
            Assert.True(linear.parameters().All(p => p.requires_grad), "the parameters stay trainable");
        }
        Assert.Equal(raw, Values(linear));
    }

    [Fact]
    public void SaveAndLoadRoundTripTheAverageAndItsCount()
    {
        using var linear = nn.Linear(2, 1, dtype: float64);
        Set(linear, [1.0, 2.0], 3.0);
        using var average = new ParameterAverage(linear, 0.99);
        Set(linear, [4.0, 5.0], 6.0);
        average.Update();
        average.Update();
        string file = Path.Combine(folder, "average.bin");
        average.Save(file);

        using var copy = new ParameterAverage(linear, 0.99);
        copy.Load(file);
        Assert.Equal(2, copy.Updates);
        Assert.Equal(average["weight"].data<double>().ToArray(), copy["weight"].data<double>().ToArray());
        Assert.Equal(average["bias"].item<double>(), copy["bias"].item<double>());
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void OptionsRejectADecayOutsideZeroToOne(double decay)
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainerOptions { AverageDecay = decay }.Validate());
        Assert.Contains("AverageDecay", e.Message);
        new TrainerOptions { AverageDecay = 0 }.Validate();
        new TrainerOptions { AverageDecay = 0.999 }.Validate();
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(1.01)]
    public void OptionsRejectAMinimumLearningRateFactorOutsideZeroToOne(double factor)
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainerOptions { MinLearningRateFactor = factor }.Validate());
        Assert.Contains("MinLearningRateFactor", e.Message);
    }

    [Fact]
    public void TheSavedModelIsTheAverageOfTheWeights()
    {
        var options = new TrainerOptions { Steps = 30, EvalEvery = 30, WarmupSteps = 5, LogEvery = 10, AverageDecay = 0.9 };
        DensityModel model = SmallFlow();
        string run = Path.Combine(folder, "run");
        new Trainer(options, run).Fit(model, new MaximumLikelihood(Moons, CPU), CPU);

        // The model left in memory and model.bin are the average; the checkpoint keeps the raw weights and the average.
        using DensityModel saved = ModelStore.Load(run);
        using DensityModel raw = SmallFlow();
        raw.load(Path.Combine(run, "checkpoint", ModelStore.WeightsFile));
        using var average = new ParameterAverage(raw, options.AverageDecay);
        Assert.True(new CheckpointStore(run).LoadAverage(average));
        Assert.Equal(30, average.Updates);
        foreach (var (name, p) in saved.named_parameters())
        {
            Assert.Equal(average[name].data<float>().ToArray(), p.data<float>().ToArray());
            Assert.True(model.state_dict()[name].eq(p).all().item<bool>());
        }
        Assert.False(saved.parameters().Zip(raw.parameters()).All(pair => pair.First.eq(pair.Second).all().item<bool>()),
            "after 30 steps the average differs from the raw weights");
    }

    [Fact]
    public void ResumingACheckpointWithoutAnAverageStartsItFromTheCheckpointWeights()
    {
        var options = new TrainerOptions { Steps = 20, EvalEvery = 20, CheckpointEvery = 20, WarmupSteps = 5, LogEvery = 10 };
        string run = Path.Combine(folder, "old");
        new Trainer(options, run).Fit(SmallFlow(), new MaximumLikelihood(Moons, CPU), CPU);
        Assert.False(File.Exists(Path.Combine(run, "checkpoint", "average.bin")));

        new Trainer(options with { Steps = 30, AverageDecay = 0.9 }, run).Fit(SmallFlow(), new MaximumLikelihood(Moons, CPU), CPU, resume: true);
        using DensityModel raw = SmallFlow();
        using var average = new ParameterAverage(raw, 0.9);
        Assert.True(new CheckpointStore(run).LoadAverage(average));
        Assert.Equal(10, average.Updates);
    }

    private static DensityModel SmallFlow()
    {
        manual_seed(0);
        return new RealNvpConfig { Features = 2, Couplings = 2, HiddenFeatures = 16 }.Build();
    }
}
