using Tractable.Networks;
using Tractable.Tests.Support;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using Tractable.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Transforms;

/// <summary>The image bijectors keep the same contract on tiny images, in float64.</summary>
public sealed class ImageBijectorTests
{
    private static readonly Dictionary<string, Func<long[], Bijector>> Cases = new()
    {
        ["squeeze"] = _ => new Squeeze(),
        ["actnorm"] = s => new ActNorm(s[0]),
        ["1x1-conv"] = s => new Invertible1x1Conv(s[0]),
        ["1x1-conv-lu"] = s => new LUInvertible1x1Conv(s[0]),
        ["checkerboard-affine-resnet"] = s => new MaskedCoupling(ImageMasks.Checkerboard(s[0], s[1], s[2], false),
            new ResNetConditioner(s[0], 2 * s[0], 8, 1), new AffineMap(ScaleBound.Tanh)),
        ["checkerboard-flipped-additive"] = s => new MaskedCoupling(ImageMasks.Checkerboard(s[0], s[1], s[2], true),
            new ResNetConditioner(s[0], s[0], 8, 1), new AdditiveMap()),
        ["channelwise-affine-glow"] = s => new MaskedCoupling(ImageMasks.ChannelWise(s[0], s[1], s[2], false),
            new GlowConditioner(s[0], 2 * s[0], 8), new AffineMap(ScaleBound.Sigmoid)),
        ["split-affine-glow"] = s => new SplitCoupling(s[0] / 2, new GlowConditioner(s[0] / 2, 2 * (s[0] - s[0] / 2), 8), new AffineMap(ScaleBound.Sigmoid)),
    };

    public static IEnumerable<object[]> All =>
        from name in Cases.Keys from shape in new[] { "1x4x4", "3x4x4" } where !(name.StartsWith("split") && shape.StartsWith("1x")) select new object[] { name, shape };

    private static long[] Parse(string shape) => shape.Split('x').Select(long.Parse).ToArray();

    [Theory]
    [MemberData(nameof(All))]
    public void InvertibleWithAutogradLogDet(string name, string shapeText)
    {
        using var scope = NewDisposeScope();
        long[] shape = Parse(shapeText);
        Bijector b = Cases[name](shape);
        Jacobian.Randomize(b, 0.3, seed: 5);
        if (name.Contains("1x1-conv"))
        {
            // Keep the mixing matrix well conditioned: a random rotation plus a small perturbation.
            using var _ = no_grad();
            if (b is Invertible1x1Conv plain) plain.Weight.copy_(linalg.qr(randn(shape[0], shape[0])).Q + 0.1 * randn(shape[0], shape[0]));
        }
        b.to(float64);
        b.eval();
        using var g = new Generator(3);
        Tensor x = randn([3, .. shape], generator: g).to(float64);

        (Tensor y, Tensor ld) = b.Forward(x);
        (Tensor back, Tensor ldInverse) = b.Inverse(y);
        Assert.Equal([3L], ld.shape);
        Assert.True((back - x).abs().max().item<double>() < 1e-9, $"{name}: round trip");
        Assert.True((ld + ldInverse).abs().max().item<double>() < 1e-9, $"{name}: log-dets do not cancel");
        BijectorContractTests.AssertClose(Jacobian.LogAbsDet(v => b.Forward(v).y, x), ld, $"{name} forward");
        BijectorContractTests.AssertClose(Jacobian.LogAbsDet(v => b.Inverse(v).x, y.detach()), ldInverse, $"{name} inverse");
    }

    [Fact]
    public void SqueezeMovesEach2x2BlockIntoChannels()
    {
        Tensor x = arange(16, dtype: float32).reshape(1, 1, 4, 4);
        Tensor y = new Squeeze().Forward(x).y;
        Assert.Equal([1L, 4L, 2L, 2L], y.shape);
        // The top-left block [0, 1, 4, 5] becomes the four channels of pixel (0, 0).
        Assert.Equal(new float[] { 0, 1, 4, 5 }, y[0, .., 0, 0].data<float>().ToArray());
    }

    [Fact]
    public void LuAndPlainConvolutionsAgreeForTheSameWeight()
    {
        using var scope = NewDisposeScope();
        Tensor weight = randn(6, 6, dtype: float64);
        var plain = new Invertible1x1Conv(6);
        plain.to(float64);
        using (no_grad()) plain.Weight.copy_(weight);
        var lu = new LUInvertible1x1Conv(weight);
        lu.to(float64);
        Tensor x = randn(2, 6, 3, 3, dtype: float64);
        (Tensor yPlain, Tensor ldPlain) = plain.Forward(x);
        (Tensor yLu, Tensor ldLu) = lu.Forward(x);
        Assert.True((lu.Weight() - weight).abs().max().item<double>() < 1e-10);
        Assert.True((ldPlain - ldLu).abs().max().item<double>() < 1e-9);
        Assert.True((yPlain - yLu).abs().max().item<double>() < 1e-9);
    }

    [Fact]
    public void ActNormInitializesFromTheFirstBatchOnlyOnce()
    {
        using var scope = NewDisposeScope();
        var norm = new ActNorm(3);
        Tensor x = randn(64, 3, 5, 5) * tensor(new float[] { 2f, 0.5f, 7f }).reshape(1, 3, 1, 1) + 3;
        norm.train();
        Tensor y = norm.Forward(x).y;
        Assert.True(norm.IsInitialized);
        Assert.True(y.mean([0, 2, 3]).abs().max().item<float>() < 1e-4);
        Assert.True((y.std([0, 2, 3], unbiased: false) - 1).abs().max().item<float>() < 1e-3);
        Tensor again = norm.Forward(x * 10).y;                                  // a second batch does not re-initialize
        Assert.True(again.std().item<float>() > 5);

        string file = Path.GetTempFileName();
        norm.save(file);
        var loaded = new ActNorm(3);
        loaded.load(file);
        File.Delete(file);
        loaded.train();
        Assert.True(loaded.IsInitialized);
        Assert.True((loaded.Forward(x).y - y).abs().max().item<float>() < 1e-5, "a reloaded ActNorm must not re-initialize");
    }
}
