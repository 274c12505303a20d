using Tractable.Distributions.Pixels;
using Tractable.Models.Pixel;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.PixelModels;

/// <summary>Exact normalization, checked by enumerating every outcome of tiny spaces.</summary>
public sealed class NormalizationTests
{
    public static TheoryData<string> BinaryModels => new(["pixelcnn", "gated-pixelcnn", "gated-pixelcnn-conditional", "gated-pixelcnn-spatial"]);

    [Theory]
    [MemberData(nameof(BinaryModels))]
    public void ProbabilitiesOfAllBinary2x2ImagesSumToOne(string name)
    {
        PixelModelConfig config = name switch
        {
            "pixelcnn" => new PixelCnnConfig { Height = 2, Width = 2, Channels = 4, Blocks = 2, OutputChannels = 8 },
            "gated-pixelcnn" => new GatedPixelCnnConfig { Height = 2, Width = 2, Channels = 4, Layers = 3, OutputChannels = 8 },
            "gated-pixelcnn-spatial" => new GatedPixelCnnConfig { Height = 2, Width = 2, Channels = 4, Layers = 3, OutputChannels = 8, SpatialContextChannels = 2 },
            _ => new GatedPixelCnnConfig { Height = 2, Width = 2, Channels = 4, Layers = 3, OutputChannels = 8, NumClasses = 3 },
        };
        var model = (PixelAutoregressiveModel)config.Build();
        model.to(float64);
        Jacobian.Randomize(model, 0.5, seed: 3);
        // All 16 images: bit k of the index is pixel k in raster order.
        Tensor images = stack(Enumerable.Range(0, 16).Select(n =>
            tensor(Enumerable.Range(0, 4).Select(k => (double)((n >> k) & 1)).ToArray()).view(1, 2, 2)).ToArray());
        using var mapGenerator = new Generator(4);
        // One context for all 16 images: a label, or a map (the same map, so the 16 images share one distribution).
        Tensor? context = config switch
        {
            GatedPixelCnnConfig { NumClasses: > 0 } => model.ContextFromLabels(full([16], 2, dtype: int64)),
            GatedPixelCnnConfig { SpatialContextChannels: > 0 } => randn([1, 2, 2, 2], dtype: float64, generator: mapGenerator).expand(16, -1, -1, -1),
            _ => null,
        };
        double total = model.LogProb(images, context).logsumexp(0).exp().item<double>();
        Assert.Equal(1.0, total, 12);
    }

    /// <summary>
    /// Both PixelRNN variants sum to 1 over every image of a tiny space: all 512 binary 3×3 images (also class-
    /// conditional), all 4,096 binary 2×2 RGB images (Bernoulli per colour) and all 4,096 RGB 1×2 images of 4 levels
    /// (softmax per colour), so the colour masks and the recurrent scans hide every later sub-pixel.
    /// </summary>
    [Theory]
    [InlineData(PixelRnnVariant.RowLstm, 1, 3, 3, 2, 0)]
    [InlineData(PixelRnnVariant.DiagonalBiLstm, 1, 3, 3, 2, 0)]
    [InlineData(PixelRnnVariant.DiagonalBiLstm, 1, 3, 3, 2, 3)]
    [InlineData(PixelRnnVariant.RowLstm, 3, 2, 2, 2, 0)]
    [InlineData(PixelRnnVariant.DiagonalBiLstm, 3, 2, 2, 2, 0)]
    [InlineData(PixelRnnVariant.RowLstm, 3, 1, 2, 4, 0)]
    [InlineData(PixelRnnVariant.DiagonalBiLstm, 3, 1, 2, 4, 2)]
    public void PixelRnnProbabilitiesOfEveryImageSumToOne(PixelRnnVariant variant, int colours, int height, int width, int levels, int classes)
    {
        var config = new PixelRnnConfig
        {
            Variant = variant, Colours = colours, Height = height, Width = width, Levels = levels,
            HiddenChannels = colours == 1 ? 4 : 6, Layers = 2, FirstKernel = 3, OutputChannels = 8, NumClasses = classes,
        };
        var model = (PixelAutoregressiveModel)config.Build();
        model.to(float64);
        Jacobian.Randomize(model, 0.5, seed: 9);
        model.eval();
        // Image n holds the base-L digits of n, one sub-pixel each.
        int d = colours * height * width;
        long count = (long)Math.Pow(levels, d);
        Tensor digits = arange(count, dtype: int64).unsqueeze(1).div(pow(tensor((long)levels), arange(d, dtype: int64)), rounding_mode: RoundingMode.floor);
        Tensor images = digits.remainder(levels).to(float64).view(-1, colours, height, width);
        Tensor? context = model.ContextFromLabels(full([count], classes - 1, dtype: int64));
        double total;
        using (no_grad()) total = model.LogProb(images, context).logsumexp(0).exp().item<double>();
        Assert.Equal(1.0, total, 10);
    }

    [Fact]
    public void DiscretizedLogisticMixtureSumsToOneOverEveryColoursLevels()
    {
        var mixture = new DiscretizedLogisticMixture(colours: 3, levels: 256, components: 4);
        using var g = new Generator(5);
        // Parameters of 6 pixels, including extreme means and scales (mass piling up at the edges 0 and 255).
        Tensor parameters = randn([6, mixture.ParameterChannels], dtype: float64, generator: g) * 3;
        Tensor pixel = randint(0, 256, [6, 3], generator: g).to(float64);
        for (int c = 0; c < 3; c++)
        {
            Tensor total = mixture.LevelLogProbs(parameters, pixel, c).logsumexp(1).exp();
            Assert.True((total - 1).abs().max().item<double>() < 1e-10, $"colour {c}: {total}");
        }
    }

    [Fact]
    public void MixtureLogProbOfAPixelIsTheSumOfItsColourConditionals()
    {
        // log p(r, g, b) from LogProb equals log p(r) + log p(g | r) + log p(b | r, g) from LevelLogProbs, so the
        // joint over the 256³ colours sums to 1 as well.
        var mixture = new DiscretizedLogisticMixture(colours: 3, levels: 256, components: 3);
        using var g = new Generator(6);
        Tensor parameters = randn([5, mixture.ParameterChannels], dtype: float64, generator: g) * 2;
        Tensor pixel = randint(0, 256, [5, 3], generator: g).to(float64);
        Tensor joint = mixture.LogProb(parameters.view(5, -1, 1, 1), pixel.view(5, 3, 1, 1));
        Tensor chain = zeros(5, dtype: float64);
        for (int c = 0; c < 3; c++)
            chain += mixture.LevelLogProbs(parameters, pixel, c).gather(1, pixel.select(1, c).to(int64).unsqueeze(1)).squeeze(1);
        Assert.True((joint - chain).abs().max().item<double>() < 1e-9);
    }

    [Fact]
    public void ScaleEdgesGetTheTails()
    {
        // With a tiny scale around the middle, nearly all mass sits on the nearest level; far outside [−1, 1] it sits on the edges.
        var mixture = new DiscretizedLogisticMixture(colours: 1, levels: 256, components: 1);
        Tensor Params(double mean) => tensor(new[] { 0.0, mean, -7.0 }, dtype: float64).view(1, 3);
        Tensor lowEdge = mixture.LevelLogProbs(Params(-5), zeros(1, 1, dtype: float64), 0).exp();
        Tensor highEdge = mixture.LevelLogProbs(Params(5), zeros(1, 1, dtype: float64), 0).exp();
        Assert.True(lowEdge[0, 0].item<double>() > 0.999);
        Assert.True(highEdge[0, 255].item<double>() > 0.999);
    }

    [Fact]
    public void PixelCnnPlusPlusOnBinary4x4ImagesSumsToOne()
    {
        var model = (PixelAutoregressiveModel)new PixelCnnPlusPlusConfig
            { Colours = 1, Height = 4, Width = 4, Levels = 2, Filters = 4, BlocksPerResolution = 1, Components = 2 }.Build();
        model.to(float64);
        Jacobian.Randomize(model, 0.3, seed: 8);
        model.eval();
        Tensor index = arange(1 << 16, dtype: int64).unsqueeze(1);
        Tensor images = index.bitwise_right_shift(arange(16, dtype: int64)).bitwise_and(1).to(float64).view(-1, 1, 4, 4);
        double total = 0;
        using (no_grad())
            total = model.LogProb(images).logsumexp(0).exp().item<double>();
        Assert.Equal(1.0, total, 10);
    }
}
