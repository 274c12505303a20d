using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Networks;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Autoregressive;

/// <summary>MADE, MADE MoG, MAF, MAF MoG and IAF as density models: normalization, conditioning, images.</summary>
public sealed class AutoregressiveModelTests
{
    public static IEnumerable<object[]> Models2D =>
    [
        ["made", new MadeConfig { HiddenFeatures = 16 }],
        ["made-mog", new MadeConfig { HiddenFeatures = 16, Components = 4 }],
        ["maf", new MafConfig { Layers = 3, HiddenFeatures = 16, Order = FeatureOrder.Random, OrderSeed = 2 }],
        ["maf-mog", new MafConfig { Layers = 2, HiddenFeatures = 16, BaseComponents = 3 }],
        ["iaf", new IafConfig { Layers = 3, HiddenFeatures = 16 }],
    ];

    [Theory]
    [InlineData(FeatureOrder.Natural, new[] { 1, 2, 3 }, new[] { 3, 2, 1 })]
    [InlineData(FeatureOrder.Reversed, new[] { 3, 2, 1 }, new[] { 1, 2, 3 })]
    public void LayersAlternateBetweenTheOrderAndItsReverse(FeatureOrder order, int[] even, int[] odd)
    {
        var flow = (Flow)new MafConfig { Features = 3, Layers = 3, HiddenFeatures = 8, Order = order }.Build();
        int[][] degrees = ((Tractable.Transforms.Chain)flow.Transform).Steps
            .OfType<Tractable.Transforms.MaskedAutoregressive>().Select(layer => layer.Conditioner.InputDegrees).ToArray();
        Assert.Equal([even, odd, even], degrees);
    }

    /// <summary>The model of <paramref name="config"/> with random weights (no layer at its identity start), in eval mode.</summary>
    private static DensityModel Randomized(ModelConfig config)
    {
        DensityModel model = config.Build();
        Jacobian.Randomize(model, 0.3, seed: 6);
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(Models2D))]
    public void DensityIntegratesToOneOverA2DGrid(string name, ModelConfig config)
    {
        using var scope = NewDisposeScope();
        DensityModel model = Randomized(config);
        Assert.Equal(name, model.Config.Name);
        var bounds = Bounds2D.Square(10);
        double logZ = DensityGrid.LogIntegral(DensityGrid.LogDensity(x => model.LogProb(x), bounds, 400), bounds);
        Assert.True(Math.Abs(Math.Exp(logZ) - 1) < 0.02, $"{name} integrates to {Math.Exp(logZ):F4}");
    }

    [Theory]
    [MemberData(nameof(Models2D))]
    public void SamplesFollowTheDensity(string name, ModelConfig config)
    {
        // The mean log-density of the model's own samples estimates −entropy; it must match the one of data drawn by a
        // second route (D-pass or one-pass inverse) only if sampling inverts the density's transform, so compare the
        // sample mean against the mean under the grid density instead.
        using var scope = NewDisposeScope();
        DensityModel model = Randomized(config);
        using var _ = no_grad();
        using var g = new Generator(2);
        Tensor samples = model.Sample(20_000, generator: g);
        var bounds = Bounds2D.Square(10);
        Tensor p = DensityGrid.LogDensity(x => model.LogProb(x), bounds, 400).exp();
        p = p / p.sum();
        Tensor xs = linspace(-10 + 0.025, 10 - 0.025, 400, dtype: float64);
        double gridMeanX = (p.sum([0]) * xs).sum().item<double>();
        double gridMeanY = (p.sum(1) * xs.flip(0)).sum().item<double>();
        Tensor m = samples.to(float64).mean([0]);
        Assert.True(Math.Abs(m[0].item<double>() - gridMeanX) < 0.05, $"{name}: sample mean x {m[0].item<double>():F3} vs {gridMeanX:F3}");
        Assert.True(Math.Abs(m[1].item<double>() - gridMeanY) < 0.05, $"{name}: sample mean y {m[1].item<double>():F3} vs {gridMeanY:F3}");
    }

    [Theory]
    [InlineData("maf")]
    [InlineData("iaf")]
    [InlineData("made-mog")]
    public void ConditionalSamplingDependsOnTheContext(string kind)
    {
        using var scope = NewDisposeScope();
        ModelConfig config = kind switch
        {
            "maf" => new MafConfig { Features = 4, Layers = 2, HiddenFeatures = 16, ContextFeatures = 3, LabelClasses = 3 },
            "iaf" => new IafConfig { Features = 4, Layers = 2, HiddenFeatures = 16, ContextFeatures = 3, LabelClasses = 3 },
            _ => new MadeConfig { Features = 4, HiddenFeatures = 16, Components = 3, ContextFeatures = 3, LabelClasses = 3 },
        };
        DensityModel model = config.Build();
        Jacobian.Randomize(model, 0.3, seed: 1);
        model.eval();
        using var _ = no_grad();
        Tensor c0 = model.ContextFromLabels(zeros(8, int64))!, c2 = model.ContextFromLabels(full(8, 2L))!;
        Assert.Equal([8L, 3L], c0.shape);
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        Tensor a = model.Sample(8, c0, g1), b = model.Sample(8, c2, g2);
        Assert.True((a - b).abs().min().item<float>() > 0, "samples under different contexts coincide");
        Assert.True((model.LogProb(a, c0) - model.LogProb(a, c2)).abs().min().item<float>() > 0, "log-prob ignores the context");
    }

    [Fact]
    public void ImageModelIsInNatsOfTheDiscreteDataAndSamplesIntegers()
    {
        using var scope = NewDisposeScope();
        var config = new MafConfig { Features = 12, Image = new ImageSize(1, 3, 4), Levels = 256, Layers = 2, HiddenFeatures = 16 };
        DensityModel model = config.Build();
        Assert.Equal([1L, 3L, 4L], model.Config.EventShape);
        model.eval();
        using var _ = no_grad();
        // At initialization the autoregressive layers are the identity, so for pixels at 128 (+ u ∈ [0, 1)) each dimension
        // contributes log N(logit p ≈ 0) + log|d logit/dp| (= log 4 at p = ½) + log(1/256): the figure is in nats of
        // the 8-bit data. The dequantization noise moves logit p by less than 0.016 per dimension.
        Tensor lp = model.LogProb(full([2, 1, 3, 4], 128.0f));
        double expected = 12 * (-0.5 * Math.Log(2 * Math.PI) + Math.Log(4) - Math.Log(256));
        Assert.Equal([2L], lp.shape);
        Assert.True((lp - expected).abs().max().item<float>() < 0.01, $"log p = {lp[0].item<float>()}, expected {expected}");
        using var g = new Generator(3);
        Tensor s = model.Sample(5, generator: g);
        Assert.Equal([5L, 1L, 3L, 4L], s.shape);
        Assert.True(s.eq(s.floor()).all().item<bool>() && s.ge(0).all().item<bool>() && s.le(255).all().item<bool>());
    }
}
