using TorchSharp;
using Tractable.Tests.Support;
using Tractable.Transforms;
using Tractable.Transforms.Preprocessing;
using static TorchSharp.torch;

namespace Tractable.Tests.Transforms;

public sealed class PreprocessingTests
{
    [Fact]
    public void DequantizationStaysInTheUnitCellAndFloorsBack()
    {
        // Many values at the top of the range, where float32's spacing (2⁻¹⁶) lets x + u round up to x + 1 when u is
        // close to 1, plus random levels.
        var dq = new Dequantize(256);
        using var g = new Generator(8);
        Tensor x = cat([full([1_000_000, 1, 1, 1], 255f), randint(0, 256, [64, 1, 4, 4], generator: g).to(float32).view(-1, 1, 1, 1)], 0);
        (Tensor y, Tensor ld) = dq.Forward(x);
        Assert.True((y - x).min().item<float>() >= 0 && (y - x).max().item<float>() < 1);
        Assert.Equal(0f, ld.abs().max().item<float>());
        Assert.True(dq.Inverse(y).x.eq(x).all().item<bool>());
    }

    [Fact]
    public void ImageShapedPreprocessingChainMatchesAutograd()
    {
        // [0, 256) → [0, 1) → logit space, on 1×2×2 images: the log-det sums over channels and pixels.
        var chain = new Chain([new Rescale(1.0 / 256), new Logit(0.05)]);
        chain.to(float64);
        Tensor x = rand([5, 1, 2, 2], dtype: float64) * 255.9;
        (Tensor y, Tensor ld) = chain.Forward(x);
        Assert.Equal([5L, 1L, 2L, 2L], y.shape);
        BijectorContractTests.AssertClose(Jacobian.LogAbsDet(v => chain.Forward(v).y, x), ld, "rescale+logit");
        Assert.True((chain.Inverse(y).x - x).abs().max().item<double>() < 1e-9);
    }

    [Fact]
    public void RescaleLogDetCountsEveryElement()
    {
        Tensor ld = new Rescale(0.5).Forward(zeros(3, 3, 4, 4)).logAbsDet;
        Assert.Equal(48 * Math.Log(0.5), ld[0].item<float>(), 4);
    }
}
