using Tractable.Distributions.Pixels;
using Tractable.Networks;
using Tractable.Networks.Pixel;
using Tractable.Networks.WaveNet;
using Tractable.Tests.Audio;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// The faster formulations of the same functions, in float64 against the plain ones: the one-hot convolution as row
/// lookups, channels-last maps, masked kernels convolved over their open rows, a pixel's output from the sampling
/// cache row by row, short causal sequences tap by tap, the gated activation through the sigmoid, the categorical
/// likelihood read channels-last, the masked affine coupling in one pass. Values and gradients agree to rounding.
/// </summary>
public sealed class FastPathEquivalenceTests
{
    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<double>();

    /// <summary>The parameter of <paramref name="module"/> whose name ends in <paramref name="suffix"/>.</summary>
    private static Tensor Parameter(nn.Module module, string suffix) =>
        module.named_parameters().First(p => p.name.EndsWith(suffix)).parameter;

    [Theory]
    [InlineData(256, 2, 1)]
    [InlineData(7, 2, 4)]
    [InlineData(5, 3, 2)]
    [InlineData(5, 1, 1)]
    public void OneHotConvolutionAsLookupsEqualsTheConvolutionOfTheOneHotInput(int levels, int kernel, int dilation)
    {
        manual_seed(1);
        var conv = new CausalConv1d(levels, 6, kernel, dilation);
        conv.to(float64);
        using var g = new Generator(2);
        Tensor indices = randint(-1, levels, [3, 17], generator: g);                       // −1: a zero vector
        Tensor oneHot = nn.functional.one_hot(indices.clamp_min(0), levels).to(float64).mul(indices.ge(0).unsqueeze(2)).permute(0, 2, 1);
        Tensor expected = conv.forward(oneHot), actual = conv.ForwardOneHot(indices);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(MaxDifference(expected, actual) < 1e-12);

        Tensor upstream = randn(expected.shape, float64, generator: g);
        var viaConvolution = autograd.grad([(conv.forward(oneHot) * upstream).sum()], conv.parameters().ToArray());
        var viaLookups = autograd.grad([(conv.ForwardOneHot(indices) * upstream).sum()], conv.parameters().ToArray());
        for (int i = 0; i < viaConvolution.Count; i++) Assert.True(MaxDifference(viaConvolution[i], viaLookups[i]) < 1e-12);
    }

    [Fact]
    public void WaveNetLogitsFromLevelsEqualTheNetworkOnTheOneHotInput()
    {
        var model = WaveNetCausalityTests.Small(globalClasses: 3);
        using var g = new Generator(4);
        Tensor x = randint(0, 256, [2, 40], generator: g);
        Tensor global = model.ContextFromLabels(tensor(new long[] { 2, 0 }))!;
        Tensor expected = model.Network.Forward(model.OneHot(x), global);
        Assert.True(MaxDifference(expected, model.Logits(x, global)) < 1e-10);
    }

    [Fact]
    public void WaveNetEvaluationOverChunksOfPositionsEqualsTheSoftmaxOfTheLogits()
    {
        var model = WaveNetCausalityTests.Small(globalClasses: 3);
        using var g = new Generator(5);
        // 3 × 1,000 = 3,000 positions: one whole chunk and a partial one.
        Tensor x = randint(0, 256, [3, 1000], generator: g).to(float32);
        Tensor global = model.ContextFromLabels(tensor(new long[] { 2, 0, 1 }))!;
        Tensor expected = model.Logits(x, global).log_softmax(1).gather(1, x.to(int64).unsqueeze(1)).squeeze(1);
        Assert.True(is_grad_enabled());
        Assert.True(MaxDifference(expected, model.LogProbPerStep(x, global)) < 1e-10);
        using var noGrad = no_grad();
        Assert.True(MaxDifference(expected, model.LogProbPerStep(x, global)) < 1e-10);
    }

    [Fact]
    public void LastStepLogitsEqualTheFullPassAtTheLastStep()
    {
        var global = WaveNetCausalityTests.Small(globalClasses: 3);
        using var g = new Generator(8);
        Tensor x = randint(0, 256, [2, 33], generator: g);
        Tensor labels = global.ContextFromLabels(tensor(new long[] { 1, 2 }))!;
        Assert.True(MaxDifference(global.Network.ForwardLevels(x, labels).select(2, 32), global.Network.LastLogits(x, labels)) < 1e-10);

        var local = WaveNetCausalityTests.Small(localFeatures: 2, localHop: 3);
        Tensor features = randn([2, 2, 11], float64, generator: g);
        Assert.True(MaxDifference(local.Network.ForwardLevels(x, local: features).select(2, 32), local.Network.LastLogits(x, local: features)) < 1e-10);
    }

    [Fact]
    public void ChannelsLastKeepsValuesAndShapeAndLeavesOtherTensorsAlone()
    {
        Tensor x = randn(2, 5, 3, 4, float64);
        Tensor y = MemoryLayout.ChannelsLast(x);
        Assert.True(MemoryLayout.IsChannelsLast(y));
        Assert.False(MemoryLayout.IsChannelsLast(x));
        Assert.Equal(x.shape, y.shape);
        Assert.Equal(0.0, MaxDifference(x, y));
        Assert.Equal([60L, 1, 20, 5], y.stride());
        Tensor grey = randn(2, 1, 3, 4), sequence = randn(2, 5, 7);
        Assert.Same(grey, MemoryLayout.ChannelsLast(grey));
        Assert.Same(sequence, MemoryLayout.ChannelsLast(sequence));
        Assert.Same(y, MemoryLayout.ChannelsLast(y));
    }

    [Theory]
    [InlineData(MaskType.A, 7, 1, 1)]
    [InlineData(MaskType.B, 3, 1, 1)]
    [InlineData(MaskType.B, 5, 3, 2)]
    [InlineData(MaskType.A, 3, 3, 1)]
    [InlineData(MaskType.B, 1, 3, 1)]
    [InlineData(MaskType.A, 1, 3, 1)]
    public void MaskedConvolutionOverItsOpenRowsEqualsTheFullMaskedKernel(MaskType type, int kernel, int colours, int stride)
    {
        manual_seed(3);
        var conv = new MaskedConv2d(6, 9, kernel, kernel, type, colours, stride: stride);
        conv.to(float64);
        Tensor weight = Parameter(conv, "weight");
        Tensor bias = Parameter(conv, "bias");
        Tensor mask = MaskedConv2d.Mask(6, 9, kernel, kernel, kernel / 2, kernel / 2, type, colours).to(float64);
        using var g = new Generator(5);
        Tensor x = randn([2, 6, 9, 8], float64, generator: g);
        int pad = kernel / 2;
        Tensor expected = nn.functional.conv2d(nn.functional.pad(x, [pad, pad, pad, pad]), weight * mask, bias, strides: [stride, stride]);
        Tensor actual = conv.forward(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(MaxDifference(expected, actual) < 1e-12);
        // Without gradients a 1×1 kernel reads the map itself instead of a padded copy.
        using (no_grad())
        {
            Tensor inference = conv.forward(x);
            Assert.Equal(expected.shape, inference.shape);
            Assert.True(MaxDifference(expected, inference) < 1e-12);
        }
    }

    [Theory]
    [InlineData(MaskType.A, 7, 1)]
    [InlineData(MaskType.B, 3, 1)]
    [InlineData(MaskType.A, 3, 3)]
    [InlineData(MaskType.B, 5, 3)]
    [InlineData(MaskType.B, 1, 1)]
    public void PixelOutputFromTheCacheEqualsTheFullConvolutionThere(MaskType type, int kernel, int colours)
    {
        manual_seed(9);
        var conv = new MaskedConv2d(6, 9, kernel, kernel, type, colours);
        conv.to(float64);
        using var g = new Generator(10);
        Tensor x = randn([2, 6, 7, 8], float64, generator: g);
        Tensor expected = conv.forward(x);                                                  // [B, 9, H, W]
        Tensor cache = conv.EmptyCache(2, 7, 8, float64, CPU);
        Assert.True(MemoryLayout.IsChannelsLast(cache));
        for (int row = 0; row < 7; row++)
        for (int col = 0; col < 8; col++)
            conv.Write(cache, row, col, x.select(3, col).select(2, row));
        Tensor plainCache = cache.contiguous();                                             // the same map, NCHW
        using (conv.FreezeKernel())
            foreach ((int row, int col) in new[] { (0, 0), (3, 4), (6, 7), (5, 0) })
            {
                Tensor at = expected.select(3, col).select(2, row);
                Assert.True(MaxDifference(at, conv.At(cache, row, col)) < 1e-12);
                Assert.True(MaxDifference(at, conv.At(plainCache, row, col)) < 1e-12);
            }
    }

    [Theory]
    [InlineData(2, 1, 5)]
    [InlineData(2, 8, 5)]
    [InlineData(3, 2, 5)]
    [InlineData(3, 4, 9)]
    [InlineData(2, 512, 1)]
    public void ShortSequencesTapByTapEqualTheDilatedConvolution(int kernel, int dilation, int length)
    {
        manual_seed(11);
        var conv = new CausalConv1d(4, 6, kernel, dilation);
        conv.to(float64);
        Tensor weight = Parameter(conv, "weight");
        Tensor bias = Parameter(conv, "bias");
        using var g = new Generator(12);
        Tensor x = randn([3, 4, length], float64, generator: g).requires_grad_();
        Tensor expected = nn.functional.conv1d(nn.functional.pad(x, [(kernel - 1) * dilation, 0]), weight, bias, dilation: dilation);
        Tensor actual = conv.forward(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(MaxDifference(expected, actual) < 1e-12);
        Tensor upstream = randn(expected.shape, float64, generator: g);
        var plain = autograd.grad([(expected * upstream).sum()], [x, weight, bias]);
        var tapByTap = autograd.grad([(actual * upstream).sum()], [x, weight, bias]);
        for (int i = 0; i < plain.Count; i++) Assert.True(MaxDifference(plain[i], tapByTap[i]) < 1e-12);
    }

    [Fact]
    public void CouplingBlendsWithItsMasksComplementAfterMovingToFloat64AndKeepsItOutOfTheStateDict()
    {
        manual_seed(17);
        Tensor mask = MaskedCoupling.AlternatingMask(6, odd: false);
        var net = new Mlp(6, 12, 16, 2, zeroInitOutput: false);
        var coupling = new MaskedCoupling(mask, net, new AffineMap());
        coupling.Forward(randn(3, 6));                                                      // complement made in float32
        coupling.to(float64);
        using var g = new Generator(18);
        Tensor x = randn([4, 6], float64, generator: g);
        Tensor m = mask.to(float64), kept = x * m;
        (Tensor mapped, Tensor mapLd) = new AffineMap().Forward(x, net.Forward(kept));
        (Tensor y, Tensor ld) = coupling.Forward(x);
        Assert.Equal(ScalarType.Float64, y.dtype);
        Assert.True(MaxDifference(kept + (1 - m) * mapped, y) < 1e-12);
        Assert.True(MaxDifference(((1 - m) * mapLd).sum(1), ld) < 1e-12);
        Assert.DoesNotContain(coupling.state_dict().Keys, k => k.Contains("complement"));
    }

    [Theory]
    [InlineData(ScaleBound.Tanh, false, false)]
    [InlineData(ScaleBound.Tanh, true, false)]
    [InlineData(ScaleBound.Sigmoid, false, false)]
    [InlineData(ScaleBound.Sigmoid, true, false)]
    [InlineData(ScaleBound.Tanh, false, true)]
    [InlineData(ScaleBound.Sigmoid, true, true)]
    public void MaskedAffinePassWithoutAutogradEqualsTheTensorOperations(ScaleBound bound, bool inverse, bool fractionalMask)
    {
        manual_seed(21);
        // A fractional mask is not a RealNVP mask, but the coupling's formula holds for any mask, and so must the pass.
        Tensor mask = fractionalMask ? tensor(new[] { 0f, 1f, 0.5f, 1f, 0f, 0.25f, 0f }) : MaskedCoupling.AlternatingMask(7, odd: true);
        var net = new Mlp(7, 14, 16, 2, zeroInitOutput: false);
        var coupling = new MaskedCoupling(mask, net, new AffineMap(bound, clamp: 2.5));
        foreach (ScalarType dtype in new[] { float64, float32 })
        {
            coupling.to(dtype);
            using var g = new Generator(22);
            // Rows 1..9 of a larger batch: an input that starts inside its storage.
            Tensor x = (randn([10, 7], dtype, generator: g) * 3).narrow(0, 1, 9);
            Assert.True(is_grad_enabled());
            (Tensor expected, Tensor expectedLd) = inverse ? coupling.Inverse(x) : coupling.Forward(x);
            Tensor actual, actualLd;
            using (no_grad()) (actual, actualLd) = inverse ? coupling.Inverse(x) : coupling.Forward(x);
            Assert.Equal(dtype, actual.dtype);
            (expected, expectedLd, actual, actualLd) = (expected.to(float64), expectedLd.to(float64), actual.to(float64), actualLd.to(float64));
            double tolerance = dtype == float64 ? 1e-12 : 1e-4;
            Assert.Equal(expected.shape, actual.shape);
            Assert.Equal(expectedLd.shape, actualLd.shape);
            Assert.True(MaxDifference(expected, actual) < tolerance * (1 + expected.abs().max().item<double>()));
            Assert.True(MaxDifference(expectedLd, actualLd) < tolerance * (1 + expectedLd.abs().max().item<double>()));
            Assert.True(MaxDifference(expectedLd, zeros_like(expectedLd)) > 0.1);              // a map that does something
        }
    }

    [Fact]
    public void MaskedAffinePassInvertsItself()
    {
        manual_seed(23);
        var coupling = new MaskedCoupling(MaskedCoupling.AlternatingMask(6, odd: false), new Mlp(6, 12, 16, 2, zeroInitOutput: false), new AffineMap());
        coupling.to(float64);
        using var g = new Generator(24);
        Tensor x = randn([5, 6], float64, generator: g) * 2;
        using var noGrad = no_grad();
        (Tensor y, Tensor forwardLd) = coupling.Forward(x);
        (Tensor back, Tensor inverseLd) = coupling.Inverse(y);
        Assert.True(MaxDifference(x, back) < 1e-12);
        Assert.True(MaxDifference(forwardLd, -inverseLd) < 1e-12);
    }

    [Fact]
    public void GateThroughTheSigmoidEqualsTanhTimesSigmoidWithItsGradients()
    {
        using var g = new Generator(6);
        Tensor f = (randn([4, 7], float64, generator: g) * 6).requires_grad_(), s = (randn([4, 7], float64, generator: g) * 6).requires_grad_();
        Tensor expected = f.tanh() * s.sigmoid(), actual = GatedActivation.TanhSigmoid(f, s);
        Assert.True(MaxDifference(expected, actual) < 1e-14);
        var plain = autograd.grad([expected.sum()], [f, s]);
        var viaSigmoid = autograd.grad([actual.sum()], [f, s]);
        Assert.True(MaxDifference(plain[0], viaSigmoid[0]) < 1e-13);
        Assert.True(MaxDifference(plain[1], viaSigmoid[1]) < 1e-14);
    }

    [Fact]
    public void CategoricalLikelihoodReadsChannelsLastLogitsAsTheDefaultLayout()
    {
        var likelihood = new CategoricalPixels(1, 16);
        using var g = new Generator(7);
        Tensor logits = randn([3, 16, 5, 4], float64, generator: g) * 3;
        Tensor x = randint(0, 16, [3, 1, 5, 4], generator: g).to(float64);
        Tensor channelsLast = MemoryLayout.ChannelsLast(logits);
        Assert.True(MemoryLayout.IsChannelsLast(channelsLast));
        Assert.True(MaxDifference(likelihood.LogProb(logits, x), likelihood.LogProb(channelsLast, x)) < 1e-12);
    }

    [Theory]
    [InlineData(MaskType.A, 7, 7)]
    [InlineData(MaskType.B, 3, 3)]
    [InlineData(MaskType.B, 1, 1)]
    [InlineData(MaskType.A, 5, 3)]
    [InlineData(MaskType.None, 2, 3)]
    public void OneChannelMapAsOneProductOverItsPatchesEqualsTheMaskedConvolution(MaskType type, int kh, int kw)
    {
        manual_seed(4);
        var conv = new MaskedConv2d(1, 7, kh, kw, type);
        conv.to(float64);
        Tensor weight = Parameter(conv, "weight");
        Tensor bias = Parameter(conv, "bias");
        int cy = kh / 2, cx = kw / 2;
        Tensor mask = type == MaskType.None ? ones_like(weight) : MaskedConv2d.Mask(1, 7, kh, kw, cy, cx, type, 1).to(float64);
        using var g = new Generator(6);
        Tensor x = randn([3, 1, 6, 5], float64, generator: g), upstream = randn([3, 7, 6, 5], float64, generator: g);
        Tensor expected = nn.functional.conv2d(nn.functional.pad(x, [cx, kw - 1 - cx, cy, kh - 1 - cy]), weight * mask, bias);
        Tensor[] expectedGrads = autograd.grad([(expected * upstream).sum()], [weight, bias]).ToArray();
        Tensor actual = conv.forward(x);
        Tensor[] actualGrads = autograd.grad([(actual * upstream).sum()], [weight, bias]).ToArray();
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(MemoryLayout.IsChannelsLast(actual));
        Assert.True(MaxDifference(expected, actual) < 1e-12);
        for (int i = 0; i < 2; i++) Assert.True(MaxDifference(expectedGrads[i], actualGrads[i]) < 1e-11);
    }

    [Theory]
    [InlineData(1, 16, false)]
    [InlineData(3, 8, false)]
    [InlineData(1, 2, true)]
    public void HeadEvaluatingTheLikelihoodOverChunksOfPixelsEqualsItOnTheWholeMap(int colours, int levels, bool bernoulli)
    {
        manual_seed(8);
        PixelLikelihood likelihood = bernoulli ? new BernoulliPixels(colours) : new CategoricalPixels(colours, levels);
        var head = new PixelOutputHead(6, 5, likelihood.ParameterChannels, colours);
        head.to(float64);
        using var g = new Generator(9);
        // 2 × 40 × 30 = 2,400 pixels: one whole chunk and a partial one.
        Tensor features = MemoryLayout.ChannelsLast(randn([2, 6, 40, 30], float64, generator: g));
        Tensor x = randint(0, levels, [2, colours, 40, 30], generator: g).to(float64);
        using var noGrad = no_grad();
        Tensor expected = likelihood.LogProb(head.forward(features), x);
        Assert.True(MaxDifference(expected, head.LogProb(features, x, likelihood)) < 1e-9);
        Assert.True(MaxDifference(expected, head.LogProb(features.contiguous(), x, likelihood)) < 1e-9);
    }
}
