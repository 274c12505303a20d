using Tractable.Models;
using Tractable.Models.Pixel;
using Tractable.Networks.Pixel;
using Tractable.Networks.Pixel.Incremental;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.PixelModels;

/// <summary>The fast (cached) samplers draw exactly the images of the naive one-pass-per-pixel loop.</summary>
public sealed class SamplingTests
{
    [Theory]
    [MemberData(nameof(PixelModelCases.Names), MemberType = typeof(PixelModelCases))]
    public void NaiveAndFastSamplingAreIdentical(string name)
    {
        PixelModelConfig config = PixelModelCases.All[name];
        var model = (PixelAutoregressiveModel)config.Build();
        Jacobian.Randomize(model, 0.3, seed: 4);
        using var contextGenerator = new Generator(2);
        Tensor? context = PixelModelCases.Context(model, 4, contextGenerator,
            n => arange(((IClassConditional)model).NumClasses).repeat(2));
        Tensor naive, fast;
        using (var g = new Generator(7)) naive = model.Sample(4, context, g, 1.0, fast: false);
        using (var g = new Generator(7)) fast = model.Sample(4, context, g, 1.0, fast: true);
        Assert.Equal([context?.shape[0] ?? 4, config.Colours, config.Height, config.Width], naive.shape);
        Assert.True(naive.eq(fast).all().item<bool>(), $"{name}: naive and fast samples differ in {(naive != fast).sum().item<long>()} sub-pixels");
        Assert.True(naive.ge(0).all().item<bool>() && naive.lt(config.Levels).all().item<bool>());
        Assert.True(naive.eq(naive.round()).all().item<bool>());
    }

    /// <summary>
    /// At every step of a raster-order loop, the fast sampler's distribution of the next sub-pixel equals the full
    /// pass's on the finished image (double precision), while every sub-pixel not yet drawn holds a random level: no
    /// cache may hold a stale or a future value. Stronger than comparing samples, where a small error flips a draw only
    /// when a uniform falls near a CDF step.
    /// </summary>
    [Theory]
    [MemberData(nameof(PixelModelCases.Names), MemberType = typeof(PixelModelCases))]
    public void FastSamplerGivesTheFullPassDistributionAtEveryStep(string name) => AssertFullPassDistributionAtEveryStep(name);

    /// <summary>PixelCNN's tensor caches (its fast sampler off the CPU) against the full pass, as above.</summary>
    [Theory]
    [InlineData("pixelcnn-binary")]
    [InlineData("pixelcnn-rgb256")]
    public void PixelCnnTensorCachesGiveTheFullPassDistributionAtEveryStep(string name) =>
        AssertFullPassDistributionAtEveryStep(name, model => ((PixelCnn)model).FusedSampling = false);

    private static void AssertFullPassDistributionAtEveryStep(string name, Action<PixelAutoregressiveModel>? configure = null)
    {
        PixelModelConfig config = PixelModelCases.All[name];
        var model = (PixelAutoregressiveModel)config.Build();
        configure?.Invoke(model);
        Jacobian.Randomize(model, 0.3, seed: 5);
        model.to(float64).eval();
        using var _ = no_grad();
        using var g = new Generator(11);
        Tensor? context = PixelModelCases.Context(model, 3, g, n => arange(((IClassConditional)model).NumClasses));
        long n = context?.shape[0] ?? 3;
        long[] shape = [n, config.Colours, config.Height, config.Width];
        Tensor image = randint(config.Levels, shape, dtype: float64, generator: g);
        Tensor drawn = randint(config.Levels, shape, dtype: float64, generator: g);    // noise until drawn
        Tensor full = model.Parameters(image, context);
        using PixelSampler sampler = model.CreateSampler(fast: true, context);
        sampler.Begin(drawn);
        double worst = 0;
        for (int i = 0; i < config.Height; i++)
        {
            using var rowScope = NewDisposeScope();
            sampler.BeginRow(drawn, i);
            for (int j = 0; j < config.Width; j++)
            {
                Tensor? parameters = null;
                for (int c = 0; c < config.Colours; c++)
                {
                    if (parameters is null || !model.Likelihood.JointOverColours) parameters = sampler.ParametersAt(drawn, i, j);
                    Tensor fast = model.Likelihood.LevelLogProbs(parameters, drawn.select(3, j).select(2, i), c);
                    Tensor expected = model.Likelihood.LevelLogProbs(full.select(3, j).select(2, i), image.select(3, j).select(2, i), c);
                    worst = Math.Max(worst, (fast - expected).abs().max().item<double>());
                    drawn.select(3, j).select(2, i).select(1, c).copy_(image.select(3, j).select(2, i).select(1, c));
                }
            }
        }
        Assert.True(worst < 1e-9, $"{name}: log-probabilities differ by up to {worst}");
    }

    /// <summary>
    /// The PixelCNN++ network unrolled into cached maps gives, at every pixel of a finished image, the full pass's
    /// output there (in double precision, so that any difference is not rounding), although the pixels not yet drawn
    /// hold noise at every step: each position of each map (through the strided and transposed convolutions) is computed from
    /// final inputs. A non-square image with three resolutions checks rows and columns separately.
    /// </summary>
    [Fact]
    public void CachedPixelCnnPlusPlusNetworkMatchesTheFullPassAtEveryPixel()
    {
        var network = new PixelCnnPlusPlusNetwork(colours: 3, filters: 6, blocksPerResolution: 2, outChannels: 5, dropout: 0.5);
        Jacobian.Randomize(network, 0.3, seed: 2);
        network.to(float64).eval();
        using var _ = no_grad();
        using var g = new Generator(3);
        Tensor x = rand([2, 3, 8, 12], dtype: float64, generator: g) * 2 - 1;
        Tensor full = network.forward(x);
        using CachedGraph graph = network.CreateCache(8, 12, scale: v => v);
        graph.Begin(x);
        for (int r = 0; r < 8; r++)
        for (int c = 0; c < 12; c++)
        {
            // Pixels at and after (r, c) are not drawn yet: give them noise, which must not reach any computed value.
            Tensor partial = x.flatten(2).clone();
            partial.narrow(2, r * 12 + c, 96 - r * 12 - c).copy_(rand([2, 3, 96 - r * 12 - c], dtype: float64, generator: g) * 10);
            Tensor cached = graph.At(partial.view(2, 3, 8, 12), r, c);
            Tensor expected = full.select(3, c).select(2, r);
            double difference = (cached - expected).abs().max().item<double>();
            double size = expected.abs().max().item<double>();
            // Relative 1e-9: the full pass convolves channels-last (MemoryLayout), the cached one patch by patch, so
            // their sums run in different orders; noise reaching a value would differ by its own size.
            Assert.True(difference <= 1e-9 * (1 + size), $"({r}, {c}): max difference {difference} at values up to {size}");
        }
    }

    /// <summary>
    /// A frozen kernel is made at its first per-pixel use (so one that a sampler never reads per pixel is never made)
    /// and gives the live convolution's output there; it keeps those weights until released, and then the convolution
    /// follows its weights again.
    /// </summary>
    [Fact]
    public void FrozenMaskedKernelIsMadeAtFirstUseAndReleases()
    {
        var conv = new MaskedConv2d(3, 6, 3, 3, MaskType.A, colours: 3);
        using var _ = no_grad();
        using var g = new Generator(4);
        Tensor cache = conv.EmptyCache(2, 4, 4, float32, CPU);
        cache.copy_(randn(cache.shape, generator: g));
        Tensor weight = conv.parameters().First();
        Tensor Live() => conv.forward(cache.narrow(2, 1, 4).narrow(3, 1, 4)).select(3, 2).select(2, 1);
        Tensor before = Live();
        using (conv.FreezeKernel())
        {
            weight.mul_(2);                                  // before the first use: the frozen kernel takes these weights
            Tensor first = conv.At(cache, 1, 2);
            Assert.True(first.allclose(Live(), rtol: 1e-5, atol: 1e-5));
            Assert.False(first.allclose(before, rtol: 1e-3, atol: 1e-3));
            weight.div_(2);                                  // after it: the frozen kernel keeps them
            Assert.True(conv.At(cache, 1, 2).eq(first).all().item<bool>());
        }
        Assert.True(conv.At(cache, 1, 2).allclose(before, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void SamplingIsReproducibleAndVariesWithTheSeed()
    {
        var model = (PixelAutoregressiveModel)PixelModelCases.All["gated-binary"].Build();
        Jacobian.Randomize(model, 0.3, seed: 4);
        Tensor Draw(ulong seed)
        {
            using var g = new Generator(seed);
            return model.Sample(3, generator: g);
        }
        Assert.True(Draw(1).eq(Draw(1)).all().item<bool>());
        Assert.False(Draw(1).eq(Draw(2)).all().item<bool>());
    }
}
