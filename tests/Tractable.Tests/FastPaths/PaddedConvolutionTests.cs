using Tractable.Models;
using Tractable.Models.Pixel;
using Tractable.Networks;
using Tractable.Networks.Pixel;
using Tractable.Tests.Support;
using TorchSharp;
using static Tractable.Tests.Support.LibTorchThreads;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// The masked convolutions' training path, whose weight gradient is one product per open tap over the padded map and
/// whose input gradient is a transposed convolution (over the open taps, on the window kernel, in float32 with enough
/// channels), against libtorch's convolution backward: the same values and gradients in float64 to rounding, and in
/// float32 on one and two threads.
/// </summary>
// The tests set libtorch's thread count: global state.
[Collection(Sequential.Name)]
public sealed class PaddedConvolutionTests
{
    /// <summary>The output and the gradients of input, weight and bias, with the function or libtorch's backward.</summary>
    private static Tensor[] OutputAndGradients(MaskedConv2d layer, Tensor x, Tensor upstream, bool function)
    {
        bool before = MaskedConv2d.PaddedGradientsEnabled;
        MaskedConv2d.PaddedGradientsEnabled = function;
        try
        {
            Tensor input = x.detach().clone().requires_grad_();
            Tensor y = layer.forward(input);
            Tensor[] parameters = [input, .. layer.parameters()];
            var grads = autograd.grad([(y * upstream).sum()], parameters);
            return [y.detach(), .. grads];
        }
        finally
        {
            MaskedConv2d.PaddedGradientsEnabled = before;
        }
    }

    public static TheoryData<int, int, int, int, MaskType, int> Layers => new()
    {
        // in, out, kernel height, kernel width, mask, colours
        { 6, 5, 3, 3, MaskType.B, 1 },      // PixelCNN's blocks: two open rows of three taps
        { 4, 7, 3, 3, MaskType.A, 1 },
        { 6, 6, 7, 7, MaskType.A, 3 },      // a colour-masked input layer of three channels
        { 3, 4, 5, 3, MaskType.B, 1 },
        { 5, 2, 1, 3, MaskType.B, 1 },      // one row: the centre row alone
        { 6, 4, 1, 1, MaskType.B, 1 },      // 1×1: the bottleneck's and the head's layers
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void GradientsAreLibTorchsInFloat64(int inputs, int outputs, int kh, int kw, MaskType type, int colours)
    {
        manual_seed(inputs * 100 + kh * 10 + kw);
        var layer = new MaskedConv2d(inputs, outputs, kh, kw, type, colours);
        layer.to(float64);
        Tensor x = MemoryLayout.ChannelsLast(randn(3, inputs, 6, 5, dtype: float64));
        Tensor upstream = randn(3, outputs, 6, 5, dtype: float64);
        Tensor[] expected = OutputAndGradients(layer, x, upstream, function: false);
        Tensor[] actual = OutputAndGradients(layer, x, upstream, function: true);
        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        for (int i = 0; i < expected.Length; i++) TensorAssert.Close(expected[i], actual[i], 1e-12, names[i]);
        // The closed taps get no gradient from either.
        Tensor closed = MaskedConv2d.Mask(inputs, outputs, kh, kw, kh / 2, kw / 2, type, colours).eq(0);
        Assert.Equal(0, actual[2].masked_select(closed).abs().sum().item<double>());
    }

    [Fact]
    public void AnInputInTheDefaultLayoutGivesTheSameGradients()
    {
        manual_seed(8);
        var layer = new MaskedConv2d(5, 6, 3, 3, MaskType.B);
        layer.to(float64);
        Tensor x = randn(2, 5, 7, 4, dtype: float64);              // not channels-last
        Tensor upstream = randn(2, 6, 7, 4, dtype: float64).permute(0, 1, 3, 2).contiguous().permute(0, 1, 3, 2);
        Tensor[] expected = OutputAndGradients(layer, x, upstream, function: false);
        Tensor[] actual = OutputAndGradients(layer, x, upstream, function: true);
        for (int i = 0; i < expected.Length; i++) TensorAssert.Close(expected[i], actual[i], 1e-12, $"tensor {i}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Float32GradientsMatchOnAnyThreadCount(int threads)
    {
        manual_seed(9);
        var layer = new MaskedConv2d(16, 16, 3, 3, MaskType.B);
        Tensor x = MemoryLayout.ChannelsLast(randn(4, 16, 9, 9));
        Tensor upstream = randn(4, 16, 9, 9);
        Tensor[] expected = OnThreads(threads, () => OutputAndGradients(layer, x, upstream, function: false));
        Tensor[] actual = OnThreads(threads, () => OutputAndGradients(layer, x, upstream, function: true));
        for (int i = 0; i < expected.Length; i++) TensorAssert.Close(expected[i], actual[i], 1e-4, $"tensor {i} on {threads} threads");
    }

    public static TheoryData<int, int, int, MaskType, int, int> KernelLayers => new()
    {
        // in, out, kernel, mask, colours, threads
        { 64, 64, 3, MaskType.B, 1, 1 },    // PixelCNN's blocks: the forward and the input gradient on the window kernel
        { 64, 64, 3, MaskType.B, 1, 2 },
        { 32, 96, 5, MaskType.A, 1, 1 },    // blocks of 32 outputs; a closed centre
        { 96, 32, 3, MaskType.B, 3, 2 },    // a partly open centre: colours
        { 3, 64, 7, MaskType.A, 3, 1 },     // three input channels: the input gradient stays with libtorch
    };

    [Theory]
    [MemberData(nameof(KernelLayers))]
    public void Float32GradientsByTheWindowKernelAreTheLayersInFloat64(int inputs, int outputs, int kernel, MaskType type, int colours, int threads)
    {
        manual_seed(inputs + outputs + kernel);
        var layer = new MaskedConv2d(inputs, outputs, kernel, kernel, type, colours);
        Tensor x = MemoryLayout.ChannelsLast(randn(3, inputs, 9, 7));
        Tensor upstream = MemoryLayout.ChannelsLast(randn(3, outputs, 9, 7));
        var reference = new MaskedConv2d(inputs, outputs, kernel, kernel, type, colours);
        reference.load_state_dict(layer.state_dict());
        reference.to(float64);
        Tensor[] expected = OutputAndGradients(reference, x.to(float64), upstream.to(float64), function: false);
        Tensor[] actual = OnKernelThreads(threads, () => OutputAndGradients(layer, x, upstream, function: true));
        string[] names = ["output", "input gradient", "weight gradient", "bias gradient"];
        for (int i = 0; i < expected.Length; i++)
            TensorAssert.Close(expected[i].to(ScalarType.Float32), actual[i], 1e-4, $"{names[i]}, {kernel}×{kernel} {type} {inputs} → {outputs} on {threads} threads");
        Tensor closed = MaskedConv2d.Mask(inputs, outputs, kernel, kernel, kernel / 2, kernel / 2, type, colours).eq(0);
        Assert.Equal(0, actual[2].masked_select(closed).abs().sum().item<float>());
    }

    [Fact]
    public void APixelCnnLearnsAsWithLibTorchsBackward()
    {
        manual_seed(10);
        DensityModel model = new PixelCnnConfig { Height = 6, Width = 5, Channels = 8, Blocks = 2, OutputChannels = 16 }.Build();
        model.to(float64);
        Tensor x = randint(0, 256, [3, 1, 6, 5], dtype: float64);
        Tensor[] Gradients(bool function)
        {
            bool before = MaskedConv2d.PaddedGradientsEnabled;
            MaskedConv2d.PaddedGradientsEnabled = function;
            try
            {
                Tensor loss = -model.LogProb(x).mean();
                return autograd.grad([loss], model.parameters().ToArray()).Prepend(loss.detach()).ToArray();
            }
            finally
            {
                MaskedConv2d.PaddedGradientsEnabled = before;
            }
        }
        Tensor[] expected = Gradients(false), actual = Gradients(true);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) TensorAssert.Close(expected[i], actual[i], 1e-10, i == 0 ? "loss" : $"gradient {i}");
    }

    [Fact]
    public void WeightGradientIsTheSumOverPixelsOfEveryTap()
    {
        // Against the definition, term by term: ∂L/∂W[o, i, r, c] = Σ_{n,h,w} G[n, o, h, w] · X[n, i, h + r, w + c].
        manual_seed(11);
        Tensor padded = randn(2, 3, 5, 6, dtype: float64), g = randn(2, 4, 4, 4, dtype: float64);
        Tensor actual = PaddedConvolutionFunction.WeightGradient(padded, g, [4, 3, 2, 3]);
        Tensor expected = zeros(4, 3, 2, 3, dtype: float64);
        for (int r = 0; r < 2; r++)
        for (int c = 0; c < 3; c++)
            expected[TensorIndex.Colon, TensorIndex.Colon, r, c] = einsum("nohw,nihw->oi", g, padded.narrow(2, r, 4).narrow(3, c, 4));
        TensorAssert.Close(expected, actual, 1e-12, "the weight gradient");
    }
}
