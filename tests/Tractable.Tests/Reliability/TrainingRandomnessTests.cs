using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Models.Pixel;
using Tractable.Networks;
using Tractable.Runtime;
using Tractable.Tests.Support;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Tests.Reliability;

/// <summary>
/// Dequantization noise and dropout masks come from the objective's generator, whose state a checkpoint keeps: a run
/// restored mid-way draws exactly what an uninterrupted one does.
/// </summary>
public sealed class TrainingRandomnessTests
{
    private const long Seed = 11;

    /// <summary>The trainer's per-step generator: reseeded from (seed, step), as the trainer does before each step.</summary>
    private static Generator StepGenerator(Generator g, int step) => g.manual_seed(Seed * 1_000_003 + step);

    private static float[] Losses(ITrainingObjective objective, DensityModel model, int from, int to)
    {
        using var g = new Generator();
        using var _ = no_grad();
        return Enumerable.Range(from, to - from).Select(step =>
        {
            using var scope = NewDisposeScope();
            return objective.Loss(model, 8, step, StepGenerator(g, step)).item<float>();
        }).ToArray();
    }

    [Fact]
    public void AnObjectiveRestoredMidwayDrawsTheSameNoiseAsAnUninterruptedOne()
    {
        DataSplits data = TinyImages.Splits();
        using DensityModel model = new GlowConfig { ImageShape = [1, 4, 4], Levels = 1, StepsPerLevel = 1, HiddenChannels = 4 }.Build();
        var uninterrupted = new MaximumLikelihood(data, CPU);
        Assert.Same(uninterrupted.Randomness, ((ITrainingObjective)uninterrupted).Randomness);      // what a trainer sees
        using (var g = new Generator((ulong)Seed)) uninterrupted.Initialize(model, g);

        float[] first = Losses(uninterrupted, model, 0, 3);
        byte[] checkpoint = uninterrupted.Randomness.GetState();
        float[] rest = Losses(uninterrupted, model, 3, 6);

        var resumed = new MaximumLikelihood(data, CPU);
        var notRestored = new MaximumLikelihood(data, CPU);
        resumed.Randomness.SetState(checkpoint);
        Assert.Equal(rest, Losses(resumed, model, 3, 6));
        Assert.NotEqual(rest, Losses(notRestored, model, 3, 6));                  // the noise matters to the loss
        Assert.NotEqual(first, rest);
    }

    [Fact]
    public void ObjectivesSeededAlikeDrawAlikeWhateverTheGlobalGenerator()
    {
        DataSplits data = TinyImages.Splits();
        using DensityModel model = new GlowConfig { ImageShape = [1, 4, 4], Levels = 1, StepsPerLevel = 1, HiddenChannels = 4 }.Build();
        var a = new MaximumLikelihood(data, CPU);
        var b = new MaximumLikelihood(data, CPU);
        using (var g = new Generator((ulong)Seed)) a.Randomness.Reseed(g);
        using (var g = new Generator((ulong)Seed)) b.Randomness.Reseed(g);
        float[] expected = Losses(a, model, 0, 4);
        rand(1000).Dispose();                                                  // the global generator moves on
        Assert.Equal(expected, Losses(b, model, 0, 4));
    }

    [Fact]
    public void DropoutMasksComeFromTheNoiseSource()
    {
        using var dropout = new SeededDropout(0.3);
        using Tensor x = ones(20_000);
        Tensor Drop(long seed)
        {
            using var g = new Generator((ulong)seed);
            using var noise = NoiseSource.Use(g);
            return dropout.forward(x);
        }
        dropout.train();
        Tensor a = Drop(1);
        Assert.True(a.eq(Drop(1)).all().item<bool>());
        Assert.False(a.eq(Drop(2)).all().item<bool>());
        Assert.InRange(a.ne(0).to(float32).mean().item<float>(), 0.68, 0.72);       // kept with probability 0.7 …
        Assert.Equal(1 / 0.7, a.max().item<float>(), 5);                            // … and scaled by 1/0.7
        dropout.eval();
        Assert.True(Drop(1).eq(x).all().item<bool>());
    }

    [Fact]
    public void PixelCnnPlusPlusDropsOutWithTheNoiseSource()
    {
        using DensityModel model = new PixelCnnPlusPlusConfig { Height = 4, Width = 4, Filters = 4, BlocksPerResolution = 1, Components = 1, Levels = 256, Dropout = 0.5 }.Build();
        model.train();
        using Tensor x = TinyImages.Splits().Train.X.narrow(0, 0, 2);
        using var _ = no_grad();
        Tensor LogProb(long seed)
        {
            using var g = new Generator((ulong)seed);
            using var noise = NoiseSource.Use(g);
            return model.LogProb(x);
        }
        Tensor first = LogProb(1);
        Assert.True(first.eq(LogProb(1)).all().item<bool>());
        Assert.False(first.eq(LogProb(2)).all().item<bool>());
    }

    [Fact]
    public void EvaluationOfADequantizedModelIsReproducible()
    {
        DataSplits data = TinyImages.Splits();
        using DensityModel model = new GlowConfig { ImageShape = [1, 4, 4], Levels = 1, StepsPerLevel = 1, HiddenChannels = 4 }.Build();
        double first = Evaluator.NegativeLogLikelihood(model, data.Test, CPU).Mean;
        rand(1000).Dispose();
        Assert.Equal(first, Evaluator.NegativeLogLikelihood(model, data.Test, CPU).Mean);
    }

    [Fact]
    public void AStateOfTheWrongSizeIsRefused()
    {
        using var randomness = new TrainingRandomness();
        Assert.Equal(5056, randomness.GetState().Length);
        Assert.Throws<ArgumentException>(() => randomness.SetState(new byte[12]));
    }
}
