using System.Runtime.Intrinsics;
using Tractable.Networks;
using Tractable.Tests.Support;
using TorchSharp;
using static Tractable.Tests.Support.LibTorchThreads;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// MLP layers without gradients by the window kernel's AVX-512 blocks against the same layers in float64: blocks of 64
/// and of 32 outputs, rows left over from the tiles, one row and rows split over two threads, and weights changed in
/// place between calls; MADE's masked layers, each group of outputs as deep as its mask reaches, and the transposed,
/// masked weight matrix the kernel reads. Where the processor has no AVX-512 the same calls go to libtorch and must give
/// the same values.
/// </summary>
// The tests set libtorch's thread count: global state.
[Collection(Sequential.Name)]
public sealed class WideLinearTests
{
    [Theory]
    [InlineData(40, 256, 256, 1)]     // RealNVP's hidden layer: blocks of 64, tiles of 6 and 4
    [InlineData(8, 96, 7, 1)]         // 96 outputs: blocks of 32; the first layer (8 inputs) stays with libtorch
    [InlineData(33, 64, 1, 1)]
    [InlineData(16, 64, 301, 2)]      // rows split over two threads
    public void AnMlpWithoutGradientsGivesTheLayersInFloat64(int inFeatures, int hidden, int rows, int threads)
    {
        manual_seed(inFeatures + hidden);
        var mlp = new Mlp(inFeatures, 12, hidden, 2, zeroInitOutput: false);
        Tensor x = randn(rows, inFeatures);
        Tensor expected = Float64Forward(mlp, x);
        OnKernelThreads(threads, () =>
        {
            using var _ = no_grad();
            var layers = Linears(mlp);
            Assert.Equal(inFeatures >= WideLinear.FewestInputs && Vector512.IsHardwareAccelerated, WideLinear.Applies(layers[0], x));
            Assert.Equal(Vector512.IsHardwareAccelerated, WideLinear.Applies(layers[1], randn(rows, hidden)));
            Tensor actual = mlp.Forward(x);
            TensorAssert.Close(expected, actual, 1e-5, $"{inFeatures} → {hidden} → {hidden} → 12 at {rows} rows on {threads} threads");
            return 0;
        });
    }

    [Fact]
    public void WeightsChangedInPlaceBetweenCallsAreTheOnesUsed()
    {
        manual_seed(7);
        var mlp = new Mlp(64, 8, 64, 2, zeroInitOutput: false);
        Tensor x = randn(20, 64);
        using var _ = no_grad();
        OnThreads(1, () => mlp.Forward(x));
        foreach (var linear in Linears(mlp)) linear.weight!.mul_(-0.5);
        TensorAssert.Close(Float64Forward(mlp, x), OnThreads(1, () => mlp.Forward(x)), 1e-5, "after the weights changed");
    }

    [Fact]
    public void OtherLayersAndTypesGoToLibtorch()
    {
        var wide = nn.Linear(64, 64);
        Assert.False(OnThreads(1, () => WideLinear.Applies(wide, randn(4, 64))));                 // weights that autograd records
        using var _ = no_grad();
        Assert.Equal(Vector512.IsHardwareAccelerated, OnThreads(1, () => WideLinear.Applies(wide, randn(4, 64))));
        Assert.Equal(Vector512.IsHardwareAccelerated, OnThreads(1, () => WideLinear.Applies(nn.Linear(64, 64, hasBias: false), randn(4, 64))));
        Assert.False(WideLinear.Applies(wide, randn(4, 64, float64)));                          // float64
        Assert.False(WideLinear.Applies(nn.Linear(64, 40), randn(4, 64)));                      // not a multiple of 32
        Assert.False(WideLinear.Applies(nn.Linear(31, 64), randn(4, 31)));                      // too few inputs
        Assert.False(WideLinear.Applies(wide, randn(2, 4, 64)));                                // not rows
        WindowKernel.Enabled = false;                                                           // switched off
        try
        {
            Assert.False(OnThreads(1, () => WideLinear.Applies(wide, randn(4, 64))));
        }
        finally
        {
            WindowKernel.Enabled = true;
        }
    }

    [Fact]
    public void ALayerWithoutBiasGivesTheProductAlone()
    {
        manual_seed(8);
        var linear = nn.Linear(64, 96, hasBias: false);
        Tensor x = randn(13, 64);
        using var _ = no_grad();
        Tensor expected = x.to(float64).matmul(linear.weight!.to(float64).t()).to(ScalarType.Float32);
        Tensor actual = OnThreads(1, () => WideLinear.Write(linear, x, empty(13, 96)));
        TensorAssert.Close(expected, actual, 1e-5, "x · Wᵀ without a bias");
    }

    [Theory]
    [InlineData(64, 64, 5, 7, 1)]
    [InlineData(256, 96, 14, 14, 2)]      // Glow's hidden width in; blocks of 32 out
    public void AOneByOneConvolutionOfAChannelsLastMapGivesTheConvolutionInFloat64(int inputs, int outputs, int height, int width, int threads)
    {
        manual_seed(inputs + outputs);
        var conv = nn.Conv2d(inputs, outputs, 1);
        Tensor x = MemoryLayout.ChannelsLast(randn(3, inputs, height, width));
        Tensor expected;
        using (no_grad())
            expected = nn.functional.conv2d(x.to(float64), conv.weight!.to(float64), conv.bias!.to(float64)).to(ScalarType.Float32);
        OnKernelThreads(threads, () =>
        {
            using var _ = no_grad();
            Assert.Equal(Vector512.IsHardwareAccelerated, WindowKernel.Takes(x, conv.weight!, conv.bias));
            Tensor actual = PointwiseConvolution.Forward(conv, x);
            Assert.True(MemoryLayout.IsChannelsLast(actual));
            TensorAssert.Close(expected, actual, 1e-5, $"1×1 {inputs} → {outputs} on {threads} threads");
            // A map in the default layout has no contiguous rows: libtorch's convolution.
            TensorAssert.Close(expected, PointwiseConvolution.Forward(conv, x.contiguous()), 1e-4, "the same map in the default layout");
            return 0;
        });
    }

    [Theory]
    [InlineData(512, 512)]       // rows a power of two apart
    [InlineData(37, 70)]         // blocks of 8 with rows and columns left over
    [InlineData(16, 8)]
    [InlineData(5, 13)]          // no whole block
    [InlineData(96, 256)]
    public void TheKernelsWeightMatrixIsTheWeightTransposedAndMasked(int rows, int columns)
    {
        manual_seed(rows * 1000 + columns);
        Tensor weight = randn(rows, columns);
        using var g = new Generator((ulong)(rows + columns));
        Tensor mask = rand([rows, columns], generator: g).lt(0.6).to(ScalarType.Float32);
        Assert.True(WindowKernel.Transposed(weight).eq(weight.t()).all().item<bool>(), $"{rows} × {columns} transposed");
        Assert.True(WindowKernel.Transposed(weight, mask).eq((weight * mask).t()).all().item<bool>(), $"{rows} × {columns} masked and transposed");
    }

    public static IEnumerable<object[]> MadeLayers =>
    [
        [8, 512, 256, 1],     // MAF's hidden layer at batch 256: blocks of 64, each as deep as its degrees reach
        [8, 512, 7, 2],       // rows left over from the tiles, two threads
        [5, 96, 13, 1],       // blocks of 32
        [3, 64, 40, 2],
    ];

    [Theory]
    [MemberData(nameof(MadeLayers))]
    public void AMadeHiddenLayerWithoutGradientsGivesTheMaskedProductInFloat64(int features, int hidden, int rows, int threads)
    {
        manual_seed(features * hidden + rows);
        var made = new Made(features, 2, hidden, 2, Made.Degrees(FeatureOrder.Reversed, features));
        MaskedLinear layer = made.Layers[1];
        Tensor x = randn(rows, hidden).relu();
        int[] depths = WideLinear.MaskDepths(layer.Mask);
        Assert.True(depths.Sum() < depths.Length * hidden, "sorted degrees close trailing inputs to the first groups");
        AssertMaskedProduct(layer, x, threads, $"MADE {hidden} → {hidden} over {features} features, {rows} rows on {threads} threads");
    }

    [Fact]
    public void AnyMaskGivesTheMaskedProduct()
    {
        manual_seed(21);
        using var g = new Generator(22);
        Tensor mask = rand([96, 64], generator: g).lt(0.5).to(ScalarType.Float32);
        mask.narrow(0, 0, 32).zero_();                             // a group that reads nothing: its bias alone
        mask.narrow(0, 32, 32).narrow(1, 40, 24).zero_();          // a group that reads the first 40 inputs
        Assert.Equal([0, 40, 64], WideLinear.MaskDepths(mask));
        AssertMaskedProduct(new MaskedLinear(mask), randn(29, 64), 2, "a random mask");
    }

    /// <summary>That <paramref name="layer"/> without gradients goes through the kernel where the processor has
    /// AVX-512, and gives <c>x (W ⊙ M)ᵀ + b</c> of float64.</summary>
    private static void AssertMaskedProduct(MaskedLinear layer, Tensor x, int threads, string what)
    {
        Tensor expected;
        using (no_grad())
            expected = nn.functional.linear(x.to(float64), (layer.Weight * layer.Mask).to(float64), layer.Bias.to(float64)).to(ScalarType.Float32);
        OnKernelThreads(threads, () =>
        {
            using var _ = no_grad();
            Assert.Equal(Vector512.IsHardwareAccelerated, WideLinear.Applies(x, layer.Weight, layer.Bias));
            TensorAssert.Close(expected, layer.forward(x), 1e-5, what);
            return 0;
        });
    }

    private static TorchSharp.Modules.Linear[] Linears(Mlp mlp) => mlp.modules().OfType<TorchSharp.Modules.Linear>().ToArray();

    /// <summary>The MLP's ReLU layers in float64, without autograd.</summary>
    private static Tensor Float64Forward(Mlp mlp, Tensor x)
    {
        using var _ = no_grad();
        var layers = Linears(mlp);
        Tensor h = x.to(float64);
        for (int i = 0; i < layers.Length; i++)
        {
            h = nn.functional.linear(h, layers[i].weight!.to(float64), layers[i].bias!.to(float64));
            if (i < layers.Length - 1) h = h.relu();
        }
        return h.to(ScalarType.Float32);
    }
}
