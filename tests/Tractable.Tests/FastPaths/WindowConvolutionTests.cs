using System.Runtime.Intrinsics;
using Tractable.Networks;
using Tractable.Networks.Pixel;
using Tractable.Tests.Support;
using TorchSharp;
using static Tractable.Tests.Support.LibTorchThreads;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// Masked convolutions without gradients by the window kernel (AVX-512 blocks of 64 and of 32 outputs) against the
/// full masked convolution in float64: every pixel, including the pixels left over from the tiles of 12, 6 and 4 and
/// rows longer than one thread's segment, every output, with and without a bias, on one and on two threads. Where the
/// processor has no AVX-512 the same calls go to libtorch and must give the same values.
/// </summary>
// The tests set libtorch's thread count: global state.
[Collection(Sequential.Name)]
public sealed class WindowConvolutionTests
{
    public static TheoryData<MaskType, int, int, int, int, int, int> Shapes => new()
    {
        // type, kernel, colours, inputs, outputs, height, width
        { MaskType.B, 3, 1, 64, 64, 28, 28 },     // PixelCNN's residual layer: tiles of 6, then 4
        { MaskType.B, 3, 1, 32, 32, 7, 13 },      // the bottleneck's: blocks of 32, a tile of 12 and one pixel
        { MaskType.A, 7, 3, 3, 64, 5, 9 },        // colours open the centre of a type-A kernel
        { MaskType.B, 5, 3, 6, 96, 4, 17 },       // 96 outputs: three blocks of 32; 12 + 4 + 1 pixels
        { MaskType.B, 1, 1, 64, 256, 3, 11 },     // the output head's 1×1 layer: 6 + 4 + 1 pixels
        { MaskType.A, 1, 3, 9, 128, 2, 5 },
        { MaskType.B, 3, 1, 16, 64, 2, 200 },     // rows split into segments of 96 pixels
        { MaskType.A, 3, 1, 5, 32, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaskedConvolutionWithoutGradientsGivesEveryPixelOfTheFullKernel(MaskType type, int kernel, int colours,
        int inputs, int outputs, int height, int width)
    {
        manual_seed(inputs * 1000 + outputs + kernel);
        var conv = new MaskedConv2d(inputs, outputs, kernel, kernel, type, colours);
        Tensor x = randn(2, inputs, height, width);
        Tensor expected = Float64MaskedConvolution(conv, x, type, colours);
        foreach (int t in new[] { 1, 2 })
            OnKernelThreads(t, () =>
            {
                using var _ = no_grad();
                Assert.Equal(Vector512.IsHardwareAccelerated, conv.TakesWindowKernel(x));
                Tensor actual = conv.forward(x);
                Assert.Equal(expected.shape, actual.shape);
                Assert.True(MemoryLayout.IsChannelsLast(actual));
                double scale = Math.Max(1, expected.abs().max().item<float>());
                Assert.True((expected - actual).abs().max().item<float>() < 1e-5 * scale,
                    $"{type} {kernel}×{kernel}, {inputs} → {outputs} at {height}×{width} on {t} threads");
                return 0;
            });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(2048)]
    public void PointwiseRowsAreTheProductWithTheMaskedKernel(int rows)
    {
        manual_seed(rows);
        var conv = new MaskedConv2d(64, 256, 1, 1, MaskType.B);
        Tensor x = randn(rows, 64);
        Tensor weight = conv.named_parameters().Single(p => p.name.EndsWith("weight")).parameter.detach().to(float64).view(256, 64);
        Tensor bias = conv.named_parameters().Single(p => p.name.EndsWith("bias")).parameter.detach().to(float64);
        Tensor expected = addmm(bias, x.to(float64), weight.t(), 1, 1).to(ScalarType.Float32);
        using var _ = no_grad();
        Assert.Equal(Vector512.IsHardwareAccelerated, OnThreads(1, () => conv.TakesWindowKernel(x)));
        Tensor actual = OnThreads(1, () => conv.Pointwise(x));
        Assert.True((expected - actual).abs().max().item<float>() < 1e-5 * Math.Max(1, expected.abs().max().item<float>()));
    }

    [Fact]
    public void AnInputThatAutogradTracksTakesLibtorchAndGetsItsGradient()
    {
        manual_seed(4);
        var conv = new MaskedConv2d(64, 64, 3, 3, MaskType.B);
        foreach (var p in conv.parameters()) p.requires_grad_(false);                      // frozen weights
        Tensor x = randn(2, 64, 5, 6).requires_grad_();
        Assert.False(OnThreads(1, () => conv.TakesWindowKernel(x)));
        Tensor y = OnThreads(1, () => conv.forward(x));
        Assert.True(y.requires_grad);
        Tensor actual = autograd.grad([y.square().sum()], [x])[0];
        Tensor exact = x.detach().to(float64).requires_grad_();
        Tensor expected = autograd.grad([Float64MaskedConvolution(conv, exact, MaskType.B, 1).square().sum()], [exact])[0];
        Assert.True((expected.to(ScalarType.Float32) - actual).abs().max().item<float>() < 1e-4 * Math.Max(1, expected.abs().max().item<double>()));
        // The same layer in training (weights that learn) takes libtorch too; without gradients, the kernel.
        foreach (var p in conv.parameters()) p.requires_grad_(true);
        Assert.False(OnThreads(1, () => conv.TakesWindowKernel(x.detach())));
        using (no_grad()) Assert.Equal(Vector512.IsHardwareAccelerated, OnThreads(1, () => conv.TakesWindowKernel(x)));
        Assert.False(OnThreads(1, () => { using var _ = no_grad(); return conv.TakesWindowKernel(x.detach().to(float64)); }));
    }

    /// <summary>The convolution of <paramref name="x"/> by <paramref name="conv"/>'s whole masked kernel in float64,
    /// padded on every side.</summary>
    private static Tensor Float64MaskedConvolution(MaskedConv2d conv, Tensor x, MaskType type, int colours)
    {
        int k = conv.KernelHeight, pad = k / 2;
        Tensor weight = conv.named_parameters().Single(p => p.name.EndsWith("weight")).parameter.detach().to(float64);
        Tensor bias = conv.named_parameters().Single(p => p.name.EndsWith("bias")).parameter.detach().to(float64);
        Tensor mask = MaskedConv2d.Mask(conv.InChannels, conv.OutChannels, k, k, pad, pad, type, colours).to(float64);
        Tensor input = x.dtype == float64 ? x : x.detach().to(float64);
        Tensor y = nn.functional.conv2d(nn.functional.pad(input, [pad, pad, pad, pad]), weight * mask, bias);
        return x.dtype == float64 ? y : y.to(ScalarType.Float32);
    }
}
