using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Tests.Training;

/// <summary>One RealNVP trained on 8 Gaussians, shared by the tests that need a trained model.</summary>
public sealed class EightGaussiansFixture
{
    public EightGaussiansFixture()
    {
        Data = DatasetCatalog.Load("8gaussians");
        manual_seed(0);
        Model = new RealNvpConfig { Features = 2, Couplings = 8, HiddenFeatures = 64 }.Build();
        var options = new TrainerOptions { Steps = 3000, BatchSize = 256, LearningRate = 2e-3, EvalEvery = 500 };
        Result = new Trainer(options).Fit(Model, new MaximumLikelihood(Data, CPU), CPU);
    }

    public DataSplits Data { get; }
    public DensityModel Model { get; }
    public TrainResult Result { get; }
}

public sealed class TrainedFlowTests(EightGaussiansFixture trained) : IClassFixture<EightGaussiansFixture>
{
    [Fact]
    public void TestNllComesWithinATenthOfANatOfTheTrueNll()
    {
        double nll = Evaluator.NegativeLogLikelihood(trained.Model, trained.Data.Test, CPU).Mean;
        double trueNll = Evaluator.TrueNegativeLogLikelihood(trained.Data.TrueLogProb!, trained.Data.Test).Mean;
        Assert.True(nll < trueNll + 0.1, $"test NLL {nll:F4} vs true {trueNll:F4}");
        Assert.True(nll > trueNll - 0.05, $"test NLL {nll:F4} below the true NLL {trueNll:F4} by more than noise allows");
    }

    /// <summary>The paired gap has the difference of the two means and a far smaller standard error than either NLL.</summary>
    [Fact]
    public void PairedGapIsTheDifferenceOfTheMeansWithASmallerError()
    {
        MeanEstimate nll = Evaluator.NegativeLogLikelihood(trained.Model, trained.Data.Test, CPU);
        MeanEstimate truth = Evaluator.TrueNegativeLogLikelihood(trained.Data.TrueLogProb!, trained.Data.Test);
        (MeanEstimate sameNll, MeanEstimate gap) = Evaluator.NllAndGap(trained.Model, trained.Data.TrueLogProb!, trained.Data.Test, CPU);
        Assert.Equal(nll.Mean, sameNll.Mean, 9);
        Assert.Equal(nll.StandardError, sameNll.StandardError, 9);
        Assert.Equal(nll.Mean - truth.Mean, gap.Mean, 6);
        Assert.Equal(nll.Count, gap.Count);
        Assert.True(gap.StandardError > 0 && gap.StandardError < 0.5 * Math.Min(nll.StandardError, truth.StandardError),
            $"paired {gap.StandardError:F5} vs {nll.StandardError:F5} and {truth.StandardError:F5}");
    }

    [Fact]
    public void TrainedDensityIntegratesToOne()
    {
        var bounds = Bounds2D.Square(8);
        double logIntegral = DensityGrid.LogIntegral(DensityGrid.LogDensity(x => trained.Model.LogProb(x), bounds, 400), bounds);
        Assert.InRange(Math.Exp(logIntegral), 0.98, 1.02);
    }

    [Fact]
    public void SamplesLandOnTheModes()
    {
        using var _ = no_grad();
        using var g = new Generator(1);
        Tensor samples = trained.Model.Sample(4000, generator: g);
        Tensor trueLogp = trained.Data.TrueLogProb!(samples.to(float64));
        // Under the true density, model samples should look like data: compare mean log-density.
        double fromModel = trueLogp.mean().item<double>();
        double fromData = trained.Data.TrueLogProb!(trained.Data.Test.X.to(float64)).mean().item<double>();
        Assert.True(fromModel > fromData - 0.3, $"samples average log p {fromModel:F3}, data {fromData:F3}");
    }
}
