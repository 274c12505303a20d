using Tractable.Models;
using Tractable.Networks.Kernels;
using Tractable.Networks.Pixel;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// The fused gated activation <c>tanh(f) ⊙ σ(g)</c> against the same function evaluated in float64 by libtorch's
/// autograd: values and input gradients, on rows whose length leaves a tail after the vectors, at saturating inputs,
/// split over threads, and inside a WaveNet. The tests seed libtorch's global generator, so they run alone.
/// </summary>
[Collection(Support.Sequential.Name)]
public sealed class TanhSigmoidGateTests
{
    public static TheoryData<long[]> Shapes => new()
    {
        new long[] { 3, 10, 7 },          // 35 elements a half: four vectors and a tail of three
        new long[] { 2, 6, 5, 3 },        // a PixelCNN-style map [B, 2C, H, W]
        new long[] { 1, 2, 1 },           // one element a half: only a tail
        new long[] { 4, 64, 33 },
    };

    /// <summary>The gate and the gradient of <c>Σ upstream ⊙ gate</c> in float64 by libtorch's own operations.</summary>
    private static (Tensor Value, Tensor Gradient) Reference(Tensor x, Tensor upstream)
    {
        Tensor x64 = x.to(float64).requires_grad_();
        Tensor[] halves = x64.chunk(2, 1);
        Tensor value = halves[0].tanh() * halves[1].sigmoid();
        Tensor gradient = autograd.grad([(value * upstream.to(float64)).sum()], [x64])[0];
        return (value.detach(), gradient);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.isfinite().all().item<bool>(), $"{what}: not finite");
        double error = (expected - actual.to(float64)).abs().max().item<double>();
        Assert.True(error < tolerance, $"{what}: off by {error}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ValuesAndGradientsAreThoseOfTanhTimesSigmoid(long[] shape)
    {
        manual_seed(shape.Sum());
        Tensor x = (randn(shape) * 3).requires_grad_();
        long[] outputShape = (long[])shape.Clone();
        outputShape[1] /= 2;
        Tensor upstream = randn(outputShape);
        Assert.True(GatedActivation.Fuses(x));
        var (value, gradient) = Reference(x, upstream);
        Tensor actual = GatedActivation.Gate(x);
        AssertClose(value, actual, 1e-6, "value");
        AssertClose(gradient, autograd.grad([(actual * upstream).sum()], [x])[0], 1e-5, "gradient");
        using (no_grad()) AssertClose(value, GatedActivation.Gate(x), 1e-6, "value without autograd");
    }

    [Fact]
    public void SaturatedInputsGiveTheLimitsAndFiniteGradients()
    {
        float[] values = [-1e4f, -200f, -90f, -45f, -20f, -1e-3f, 0f, 1e-3f, 20f, 45f, 90f, 200f, 1e4f];
        // Every filter value against every gate value: [1, 2, n²].
        Tensor f = tensor(values).repeat_interleave(values.Length), g = tensor(values).repeat(values.Length);
        Tensor x = stack([f, g]).unsqueeze(0).requires_grad_();
        Tensor upstream = ones(1, 1, values.Length * values.Length);
        var (value, gradient) = Reference(x, upstream);
        Tensor actual = GatedActivation.Gate(x);
        AssertClose(value, actual, 1e-6, "value");
        AssertClose(gradient, autograd.grad([actual.sum()], [x])[0], 1e-6, "gradient");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ASplitOverThreadsGivesTheSameBits(int threads)
    {
        // Large enough for several parts; the cuts fall inside rows.
        manual_seed(5);
        Tensor x = randn(3, 2, 3 * (int)TanhSigmoidGate.MinimumPerThread / 2 + 5).contiguous();
        Tensor upstream = randn(3, 1, x.shape[2]);
        Assert.True((GatedActivation.FusedGate(x, 1) == GatedActivation.FusedGate(x, threads)).all().item<bool>());
        Assert.True((GatedActivation.FusedGradient(x, upstream, 1) == GatedActivation.FusedGradient(x, upstream, threads)).all().item<bool>());
    }

    [Fact]
    public void BackwardPassesOnTwoThreadsAtOnceKeepTheirGradients()
    {
        // Each thread frees only the gradient wrappers it handed to the autograd engine itself.
        void Train(int seed)
        {
            manual_seed(seed);
            Tensor x = randn(2, 8, 300).requires_grad_();
            Tensor upstream = randn(2, 4, 300);
            Tensor expected = Reference(x, upstream).Gradient;
            for (int i = 0; i < 200; i++)
            {
                using var scope = NewDisposeScope();
                Tensor gradient = autograd.grad([(GatedActivation.Gate(x) * upstream).sum()], [x])[0];
                AssertClose(expected, gradient, 1e-5, $"gradient {i} on thread {seed}");
            }
        }
        Parallel.Invoke(() => Train(1), () => Train(2));
    }

    [Fact]
    public void OtherMapsTakeTheTensorOperations()
    {
        Assert.False(GatedActivation.Fuses(randn(2, 4, 3, dtype: float64)));
        Assert.False(GatedActivation.Fuses(randn(2, 3, 4).transpose(1, 2)));         // not contiguous
        Assert.False(GatedActivation.Fuses(randn(2, 3, 4)));                         // an odd channel count
        // The tensor operations give the same function in float64 and for a transposed map.
        Tensor x = randn(2, 6, 5, dtype: float64);
        AssertClose(Reference(x, ones(2, 3, 5)).Value, GatedActivation.Gate(x), 1e-12, "float64");
        Tensor t = randn(2, 5, 6).transpose(1, 2);
        AssertClose(Reference(t.contiguous(), ones(2, 3, 5)).Value, GatedActivation.Gate(t), 1e-6, "transposed");
    }

    [Fact]
    public void AWaveNetGivesTheSameLikelihoodAndGradientsWithTheFusedGate()
    {
        manual_seed(8);
        // Over 4,096 positions, so that the dilated layers convolve whole maps and hand the gate contiguous ones (channels
        // that fill oneDNN's blocks, which keep the default layout: ChannelsLastConvolution).
        using var model = new WaveNetConfig { SegmentLength = 1100, ResidualChannels = 16, SkipChannels = 16, Stacks = 2, MaxDilation = 8 }.Build();
        Tensor x = randint(0, 256, [4, 1100]).to(float32);
        using (no_grad())
            foreach (Tensor p in model.parameters()) p.add_(randn_like(p) * 0.3);    // no layer starts at zero
        (Tensor LogProb, Tensor[] Grads) Pass(bool fused)
        {
            GatedActivation.FusedEnabled = fused;
            try
            {
                model.zero_grad();
                Tensor logProb = model.LogProb(x);
                logProb.sum().backward();
                return (logProb.detach(), model.parameters().Select(p => p.grad!.clone()).ToArray());
            }
            finally
            {
                GatedActivation.FusedEnabled = true;
            }
        }
        var (reference, referenceGrads) = Pass(fused: false);
        var (actual, actualGrads) = Pass(fused: true);
        // The sums of 4,400 log-probabilities can round to the same float; the gradients show the other arithmetic.
        Assert.False(referenceGrads.Zip(actualGrads).All(pair => (pair.First == pair.Second).all().item<bool>()), "the fused gate was not used");
        AssertClose(reference.to(float64), actual, 1e-3, "log p");
        Assert.Equal(referenceGrads.Length, actualGrads.Length);
        for (int i = 0; i < referenceGrads.Length; i++)
        {
            double scale = Math.Max(1, referenceGrads[i].abs().max().item<float>());
            AssertClose(referenceGrads[i].to(float64), actualGrads[i], 1e-4 * scale, $"gradient {i}");
        }
    }
}
