using Tractable.Networks;
using TorchSharp;
using Tractable.Tests.Support;
using static Tractable.Tests.Support.LibTorchThreads;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// The kernels for 3×3 convolutions with few channels on one side against the convolution in float64: every pixel,
/// including the border and the pixels left over from blocks of three, every output, with and without a bias, on one
/// and on two threads, and their gradients.
/// </summary>
/// <remarks>
/// The reference is float64 because libtorch's own float32 convolution of a map in the default layout is not one on
/// every processor: on AMD Zen 5 (AVX-512) its oneDNN kernels gave errors of about 0.7 for 20, 24 or 40 input channels,
/// and its input gradient for 3 or 4 outputs read unwritten memory (NaN), at one thread.
/// </remarks>
// The Glow comparison draws the same dequantization noise from the global generator twice, and the tests set
// libtorch's thread count: global state.
[Collection(Sequential.Name)]
public sealed class ThinConvolutionTests
{
    public static TheoryData<int, int, int, int, int> Shapes => new()
    {
        // inputs, outputs, height, width, images
        { 256, 4, 14, 14, 3 },   // Glow's last layer at the first level
        { 64, 4, 7, 7, 2 },
        { 48, 4, 5, 5, 2 },      // three AVX-512 vectors of inputs; blocks of six pixels and the rest
        { 256, 8, 7, 7, 2 },     // Glow's last layer at the second level: two blocks of four outputs
        { 200, 6, 5, 4, 1 },     // outputs padded to eight; inputs past the last block of 64
        { 16, 2, 5, 4, 1 },      // outputs padded to four
        { 24, 3, 3, 3, 2 },
        { 16, 1, 1, 1, 1 },
        { 2, 256, 14, 14, 3 },   // Glow's first layer
        { 4, 32, 7, 7, 1 },
        { 3, 40, 5, 6, 2 },      // a block of 32 outputs and one of 8
        { 1, 16, 1, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void KernelsGiveTheConvolutionOfEveryPixel(int inputs, int outputs, int height, int width, int images)
    {
        manual_seed(inputs * 1000 + outputs);
        var conv = nn.Conv2d(inputs, outputs, 3, padding: 1);
        Tensor x = randn(images, inputs, height, width);
        int threads = get_num_threads(), mostThreads = ThinConvolution.MostThreads;
        ThinConvolution.MostThreads = 2;                 // the kernels' split over threads is checked too
        try
        {
            foreach ((int t, bool wide) in Runs)
            {
                set_num_threads(t);
                UseWideBlocks(wide);
                using var _ = no_grad();
                Assert.True(ThinConvolution.Applies(x, conv.weight!));
                Tensor expected = Float64Convolution(conv, x).to(ScalarType.Float32), actual = ThinConvolution.Forward(conv, x);
                Assert.Equal(expected.shape, actual.shape);
                double scale = expected.abs().max().item<float>();
                Assert.True((expected - actual).abs().max().item<float>() < 1e-5 * Math.Max(scale, 1),
                    $"{inputs} → {outputs} at {height}×{width} on {t} threads, wide blocks {wide}");
            }
        }
        finally
        {
            set_num_threads(threads);
            ThinConvolution.MostThreads = mostThreads;
            UseWideBlocks(true);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientsOfInputWeightAndBiasAreThoseOfTheConvolution(int inputs, int outputs, int height, int width, int images)
    {
        manual_seed(inputs * 7 + outputs);
        var conv = nn.Conv2d(inputs, outputs, 3, padding: 1);
        Tensor x = randn(images, inputs, height, width).requires_grad_();
        Tensor upstream = randn(images, outputs, height, width);
        var parameters = new[] { x, conv.weight!, conv.bias! };
        Tensor[] exact = parameters.Select(p => p.detach().to(ScalarType.Float64).requires_grad_()).ToArray();
        var expected = autograd.grad([(nn.functional.conv2d(exact[0], exact[1], exact[2], padding: [1, 1]) * upstream.to(ScalarType.Float64)).sum()], exact)
            .Select(g => g.to(ScalarType.Float32)).ToArray();
        int threads = get_num_threads(), mostThreads = ThinConvolution.MostThreads;
        ThinConvolution.MostThreads = 2;                 // the kernels' split over threads is checked too
        try
        {
            foreach ((int t, bool wide) in Runs)
            {
                set_num_threads(t);
                UseWideBlocks(wide);
                var actual = autograd.grad([(ThinConvolution.Forward(conv, x) * upstream).sum()], parameters);
                for (int i = 0; i < 3; i++)
                {
                    double scale = Math.Max(1, expected[i].abs().max().item<float>());
                    Assert.True((expected[i] - actual[i]).abs().max().item<float>() < 2e-5 * scale,
                        $"gradient {i} of {inputs} → {outputs} at {height}×{width} on {t} threads, wide blocks {wide}");
                }
            }
        }
        finally
        {
            set_num_threads(threads);
            ThinConvolution.MostThreads = mostThreads;
            UseWideBlocks(true);
        }
    }

    /// <summary>One and two threads, with the AVX-512 blocks and with the AVX2 blocks alone (what a processor without
    /// AVX-512 runs).</summary>
    private static readonly (int Threads, bool Wide)[] Runs = [(1, true), (2, true), (1, false), (2, false)];

    private static void UseWideBlocks(bool wide)
    {
        Tractable.Networks.Kernels.ManyToFewConv3x3.WideEnabled = wide;
        Tractable.Networks.Kernels.Conv3x3WeightGradient.WideEnabled = wide;
    }

    /// <summary>The convolution of <paramref name="conv"/> in float64, without autograd.</summary>
    private static Tensor Float64Convolution(TorchSharp.Modules.Conv2d conv, Tensor x)
    {
        using var _ = no_grad();
        return nn.functional.conv2d(x.to(ScalarType.Float64), conv.weight!.to(ScalarType.Float64), conv.bias!.to(ScalarType.Float64), padding: [1, 1]);
    }

    [Fact]
    public void AnInputWithoutGradientGetsNoneAndTheWeightsStillLearn()
    {
        manual_seed(5);
        var conv = nn.Conv2d(2, 16, 3, padding: 1);
        Tensor x = randn(2, 2, 4, 4);
        Assert.True(OnThreads(1, () => ThinConvolution.Applies(x, conv.weight!)));
        Tensor y = OnThreads(1, () => ThinConvolution.Forward(conv, x));
        Assert.True(y.requires_grad);
        y.square().sum().backward();
        Tensor expected = autograd.grad([conv.forward(x).square().sum()], [conv.weight!])[0];
        Assert.True((conv.weight!.grad! - expected).abs().max().item<float>() < 1e-4);
        Assert.Null(x.grad);
    }

    [Theory]
    [InlineData(Tractable.Models.CouplingLayout.Split, 1)]
    [InlineData(Tractable.Models.CouplingLayout.Masked, 1)]
    [InlineData(Tractable.Models.CouplingLayout.Split, 2)]
    public void AGlowGivesTheSameLikelihoodAndGradientsWithTheKernels(Tractable.Models.CouplingLayout layout, int threads)
    {
        using var glow = new PerturbedGlow(layout, seed: 21);
        (Tensor LogProb, Tensor[] Grads) Pass(bool kernels)
        {
            ThinConvolution.Enabled = kernels;
            try
            {
                return glow.LogProbAndGradients(threads, noiseSeed: 22);                 // the same dequantization noise
            }
            finally
            {
                ThinConvolution.Enabled = true;
            }
        }
        var reference = Pass(kernels: false);
        var actual = Pass(kernels: true);
        Assert.True(reference.LogProb.isfinite().all().item<bool>());
        TensorAssert.Close(reference.LogProb, actual.LogProb, 1e-4, "log p");
        for (int i = 0; i < reference.Grads.Length; i++) TensorAssert.Close(reference.Grads[i], actual.Grads[i], 1e-4, $"gradient of parameter {i}");
    }

    [Fact]
    public void ALayerWithoutBiasAndAChannelsLastInputGiveTheSame()
    {
        manual_seed(3);
        var conv = nn.Conv2d(32, 4, 3, padding: 1, bias: false);
        Tensor x = MemoryLayout.ChannelsLast(randn(2, 32, 6, 5));
        using var _ = no_grad();
        Assert.True(OnThreads(1, () => ThinConvolution.Applies(x, conv.weight!)));
        Assert.True((conv.forward(x) - OnThreads(1, () => ThinConvolution.Forward(conv, x))).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void OtherCallsGoToTheLayerItself()
    {
        var thin = nn.Conv2d(64, 4, 3, padding: 1);
        Tensor x = randn(1, 64, 5, 5);
        // On two threads only where the kernels' parts run on libtorch's own OpenMP team.
        Assert.Equal(Tractable.Runtime.OpenMpTeam.Available, OnThreads(2, () => ThinConvolution.Applies(x, thin.weight!)));
        Assert.True(OnThreads(1, () => ThinConvolution.Applies(x, thin.weight!)));
        using (no_grad())
        {
            var valid = nn.Conv2d(64, 4, 3);                                            // no padding: the layer itself
            var strided = nn.Conv2d(64, 4, 3, stride: 2, padding: 1);
            Assert.False(ThinConvolution.IsSamePadded3x3(valid) || ThinConvolution.IsSamePadded3x3(strided));
            Assert.True(ThinConvolution.IsSamePadded3x3(thin) && ThinConvolution.IsSamePadded3x3(nn.Conv2d(64, 4, 3, padding: Padding.Same)));
            Assert.Equal(valid.forward(x).shape, OnThreads(1, () => ThinConvolution.Forward(valid, x)).shape);
            Assert.Equal(strided.forward(x).shape, OnThreads(1, () => ThinConvolution.Forward(strided, x)).shape);
        }
        Assert.False(OnThreads(1, () => ThinConvolution.Applies(x.to(float64), thin.weight!.to(float64)))); // float64
        Assert.False(ThinConvolution.Applies(randn(1, 64, 5, 5), nn.Conv2d(64, 64, 3, padding: 1).weight!)); // many on both sides
        Assert.False(ThinConvolution.Applies(randn(1, 60, 5, 5), nn.Conv2d(60, 4, 3, padding: 1).weight!));  // not a multiple of 8
        Assert.False(ThinConvolution.Applies(randn(1, 64, 5, 5), nn.Conv2d(64, 4, 1).weight!));              // 1×1
        Assert.True(ThinConvolution.Applies(randn(1, 256, 5, 5), nn.Conv2d(256, 8, 3, padding: 1).weight!));  // two blocks of four
        Assert.False(ThinConvolution.Applies(randn(1, 64, 5, 5), nn.Conv2d(64, 8, 3, padding: 1).weight!));    // libtorch is as fast
        Assert.False(ThinConvolution.Applies(randn(1, 256, 5, 5), nn.Conv2d(256, 12, 3, padding: 1).weight!));
        Assert.False(ThinConvolution.Applies(randn(1, 8, 5, 5), nn.Conv2d(8, 256, 3, padding: 1).weight!));
        Assert.False(ThinConvolution.Applies(randn(1, 3, 5, 5), nn.Conv2d(2, 256, 3, padding: 1).weight!));  // wrong channels
        Assert.ThrowsAny<Exception>(() => ThinConvolution.Forward(nn.Conv2d(2, 256, 3, padding: 1), randn(1, 3, 5, 5)));
    }
}
