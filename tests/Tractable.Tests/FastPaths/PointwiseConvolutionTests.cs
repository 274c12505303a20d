using Tractable.Models;
using Tractable.Networks;
using Tractable.Tests.Support;
using TorchSharp;
using Conv2d = TorchSharp.Modules.Conv2d;
using static Tractable.Tests.Support.LibTorchThreads;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// The 1×1 convolution whose weight gradient is one product of the channels-last rows, against libtorch's convolution
/// backward: the same values and gradients in float64 to rounding, and in float32 on one and two threads.
/// </summary>
// The tests set libtorch's thread count: global state.
[Collection(Sequential.Name)]
public sealed class PointwiseConvolutionTests
{
    /// <summary>The output and the gradients of input (where it requires one), weight and bias, with the function or libtorch's backward.</summary>
    private static Tensor[] OutputAndGradients(Conv2d layer, Tensor x, Tensor upstream, bool function, bool inputGrad = true)
    {
        bool before = PointwiseConvolution.Enabled;
        PointwiseConvolution.Enabled = function;
        try
        {
            Tensor input = x.detach().clone().requires_grad_(inputGrad);
            Tensor y = PointwiseConvolution.Forward(layer, input);
            Tensor[] wrt = inputGrad ? [input, .. layer.parameters()] : [.. layer.parameters()];
            var grads = autograd.grad([(y * upstream).sum()], wrt);
            return [y.detach(), .. grads];
        }
        finally
        {
            PointwiseConvolution.Enabled = before;
        }
    }

    [Theory]
    [InlineData(6, 5, true, true)]
    [InlineData(8, 3, false, true)]
    [InlineData(1, 4, true, false)]      // one input channel; the input needs no gradient
    [InlineData(7, 1, true, true)]       // one output channel
    public void GradientsAreLibTorchsInFloat64(int inputs, int outputs, bool bias, bool inputGrad)
    {
        manual_seed(inputs * 10 + outputs);
        var layer = nn.Conv2d(inputs, outputs, 1, bias: bias);
        layer.to(float64);
        Tensor x = MemoryLayout.ChannelsLast(randn(3, inputs, 5, 4, dtype: float64));
        Tensor upstream = randn(3, outputs, 5, 4, dtype: float64);
        Tensor[] expected = OutputAndGradients(layer, x, upstream, function: false, inputGrad);
        Tensor[] actual = OutputAndGradients(layer, x, upstream, function: true, inputGrad);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) TensorAssert.Close(expected[i], actual[i], 1e-12, $"tensor {i}");
    }

    [Fact]
    public void WeightGradientIsTheSumOverPixelsOfUpstreamTimesInput()
    {
        // Against the definition: ∂L/∂W[o, i] = Σ_{n,h,w} G[n, o, h, w] · X[n, i, h, w].
        manual_seed(3);
        var layer = nn.Conv2d(4, 3, 1);
        layer.to(float64);
        Tensor x = MemoryLayout.ChannelsLast(randn(2, 4, 3, 5, dtype: float64));
        Tensor upstream = randn(2, 3, 3, 5, dtype: float64);
        Tensor[] actual = OutputAndGradients(layer, x, upstream, function: true);
        Tensor expected = einsum("nohw,nihw->oi", upstream, x).view(3, 4, 1, 1);
        TensorAssert.Close(expected, actual[2], 1e-12, "the weight gradient");
        TensorAssert.Close(upstream.sum([0, 2, 3]), actual[3], 1e-12, "the bias gradient");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Float32GradientsMatchOnAnyThreadCount(int threads)
    {
        manual_seed(4);
        var layer = nn.Conv2d(32, 24, 1);
        Tensor x = MemoryLayout.ChannelsLast(randn(4, 32, 9, 9));
        Tensor upstream = randn(4, 24, 9, 9);
        Tensor[] expected = OnThreads(threads, () => OutputAndGradients(layer, x, upstream, function: false));
        Tensor[] actual = OnThreads(threads, () => OutputAndGradients(layer, x, upstream, function: true));
        for (int i = 0; i < expected.Length; i++) TensorAssert.Close(expected[i], actual[i], 1e-4, $"tensor {i} on {threads} threads");
    }

    [Fact]
    public void OnlyPlainOneByOneConvolutionsOfChannelsLastMapsAreTaken()
    {
        Tensor channelsLast = MemoryLayout.ChannelsLast(randn(2, 4, 3, 3));
        Assert.True(PointwiseConvolution.Applies(nn.Conv2d(4, 6, 1), channelsLast));
        Assert.False(PointwiseConvolution.Applies(nn.Conv2d(4, 6, 1), randn(2, 4, 3, 3)));           // default layout
        Assert.False(PointwiseConvolution.Applies(nn.Conv2d(4, 6, 3, padding: 1), channelsLast));     // 3×3
        Assert.False(PointwiseConvolution.Applies(nn.Conv2d(4, 6, 1, stride: 2), channelsLast));
        Assert.False(PointwiseConvolution.Applies(nn.Conv2d(4, 6, 1, padding: 1), channelsLast));
        Assert.False(PointwiseConvolution.Applies(nn.Conv2d(4, 4, 1, groups: 2), channelsLast));
        Assert.False(PointwiseConvolution.Applies(nn.Conv2d(3, 6, 1), channelsLast));                 // channel mismatch
        // A map in the default layout still gets libtorch's values and gradients.
        manual_seed(5);
        var layer = nn.Conv2d(4, 6, 1);
        Tensor x = randn(2, 4, 3, 3), upstream = randn(2, 6, 3, 3);
        Tensor[] expected = OutputAndGradients(layer, x, upstream, function: false);
        Tensor[] actual = OutputAndGradients(layer, x, upstream, function: true);
        for (int i = 0; i < expected.Length; i++) TensorAssert.Close(expected[i], actual[i], 1e-6, $"tensor {i}");
    }

    [Theory]
    [InlineData(CouplingLayout.Split)]
    [InlineData(CouplingLayout.Masked)]
    public void AGlowLearnsAsWithLibTorchsBackward(CouplingLayout layout)
    {
        // Perturbed, so that the zero-initialized output layer passes a gradient back to the 1×1 layer.
        using var glow = new PerturbedGlow(layout, seed: 6, ScalarType.Float64);
        (Tensor LogProb, Tensor[] Grads) Run(bool function)
        {
            bool before = PointwiseConvolution.Enabled;
            PointwiseConvolution.Enabled = function;
            try
            {
                return glow.LogProbAndGradients(threads: 1, noiseSeed: 7);
            }
            finally
            {
                PointwiseConvolution.Enabled = before;
            }
        }
        var expected = Run(false);
        var actual = Run(true);
        TensorAssert.Close(expected.LogProb, actual.LogProb, 1e-10, "log p");
        Assert.Equal(expected.Grads.Length, actual.Grads.Length);
        for (int i = 0; i < expected.Grads.Length; i++) TensorAssert.Close(expected.Grads[i], actual.Grads[i], 1e-10, $"gradient {i}");
        // The 1×1 layers' weight gradients are not zero: the comparison covers them.
        var mid = glow.Model.named_parameters().Select((p, i) => (p.name, i)).Where(t => t.name.EndsWith("conv_mid.weight")).ToArray();
        Assert.NotEmpty(mid);
        Assert.All(mid, t => Assert.True(actual.Grads[t.i].abs().max().item<double>() > 1e-6, t.name));
    }
}
