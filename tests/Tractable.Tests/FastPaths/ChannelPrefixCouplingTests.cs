using Tractable.Models;
using Tractable.Networks;
using Tractable.Tests.Support;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using Tractable.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;
using static Tractable.Tests.Support.LibTorchThreads;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// A masked coupling whose mask keeps the first channels of an image reads those channels alone and computes only the
/// parameters of the others: the same likelihood, gradients and inverse as the whole masked tensor through the whole
/// network, in float64 (libtorch's convolutions with sliced weights) and in float32 (the thin-convolution kernels).
/// </summary>
// The comparisons reseed the global generator and set libtorch's thread count: global state.
[Collection(Sequential.Name)]
public sealed class ChannelPrefixCouplingTests
{
    [Theory]
    [InlineData(ScalarType.Float64, 1)]
    [InlineData(ScalarType.Float32, 1)]
    [InlineData(ScalarType.Float32, 2)]
    public void AMaskedGlowGivesTheSameLikelihoodGradientsAndSamplesReadingTheKeptChannelsAlone(ScalarType dtype, int threads)
    {
        manual_seed(31);
        using var model = new GlowConfig
        {
            ImageShape = [1, 8, 8], Levels = 2, StepsPerLevel = 2, HiddenChannels = 32, CouplingLayout = CouplingLayout.Masked,
        }.Build();
        model.to(dtype);
        Tensor x = rand(4, 1, 8, 8).to(dtype);
        OnThreads(1, () => model.LogProb(x));                                          // ActNorm's data-dependent start
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.Contains(".body.conv_")) p.add_(randn_like(p) * 0.1);       // the zero layers no longer zero
        (Tensor LogProb, Tensor Samples, Tensor[] Grads) Pass(bool prefix)
        {
            MaskedCoupling.PrefixEnabled = prefix;
            try
            {
                return OnThreads(threads, () =>
                {
                    model.zero_grad();
                    manual_seed(32);                                                  // the same dequantization noise
                    Tensor logProb = model.LogProb(x);
                    logProb.sum().backward();
                    manual_seed(33);
                    Tensor samples;
                    using (no_grad()) samples = model.Sample(3);
                    return (logProb.detach(), samples, model.parameters().Select(p => p.grad!.clone()).ToArray());
                });
            }
            finally
            {
                MaskedCoupling.PrefixEnabled = true;
            }
        }
        var whole = Pass(prefix: false);
        var read = Pass(prefix: true);
        double tolerance = dtype == ScalarType.Float64 ? 1e-10 : 1e-4;
        Assert.True(whole.LogProb.isfinite().all().item<bool>());
        AssertClose(whole.LogProb, read.LogProb, tolerance, "log p");
        AssertClose(whole.Samples, read.Samples, tolerance, "samples");
        for (int i = 0; i < whole.Grads.Length; i++) AssertClose(whole.Grads[i], read.Grads[i], tolerance, $"gradient of parameter {i}");
    }

    [Fact]
    public void GlowsConditionerFromAPrefixEqualsTheWholeNetworkOnTheZeroPaddedInput()
    {
        manual_seed(34);
        var net = new GlowConditioner(6, 12, 16);
        net.to(float64);
        using (no_grad())
            foreach (Tensor p in net.parameters()) p.add_(randn_like(p) * 0.2);
        Tensor prefix = randn(2, 4, 5, 3, dtype: float64);
        Tensor outputs = tensor(new long[] { 10, 4, 5, 0 });                          // any channels, in any order
        Tensor weights = randn(2, 4, 5, 3, dtype: float64);
        Tensor whole = net.Forward(cat([prefix, zeros(2, 2, 5, 3, dtype: float64)], 1)).index_select(1, outputs);
        Tensor[] wholeGrads = autograd.grad([(whole * weights).sum()], net.parameters().ToArray()).ToArray();
        Tensor read = net.ForwardFromPrefix(prefix, outputs)!;
        Tensor[] readGrads = autograd.grad([(read * weights).sum()], net.parameters().ToArray()).ToArray();
        AssertClose(whole, read, 1e-12, "output");
        for (int i = 0; i < wholeGrads.Length; i++) AssertClose(wholeGrads[i], readGrads[i], 1e-12, $"gradient of parameter {i}");
    }

    public static TheoryData<string, bool> Masks => new()
    {
        { "first channels kept", true },
        { "last channels kept", false },
        { "checkerboard", false },
    };

    [Theory]
    [MemberData(nameof(Masks))]
    public void OnlyAMaskKeepingTheFirstChannelsIsReadAsAPrefix(string kind, bool readsPrefix)
    {
        Tensor mask = kind switch
        {
            "first channels kept" => ImageMasks.ChannelWise(4, 5, 5, flip: false),
            "last channels kept" => ImageMasks.ChannelWise(4, 5, 5, flip: true),
            _ => ImageMasks.Checkerboard(4, 5, 5, flip: false),
        };
        manual_seed(35);
        foreach (bool answers in new[] { true, false })
        {
            var spy = new PrefixSpy(new GlowConditioner(4, 8, 16), answers);
            using (no_grad())
                foreach (Tensor p in spy.parameters()) p.add_(randn_like(p) * 0.2);
            var coupling = new MaskedCoupling(mask, spy, new AffineMap(ScaleBound.Sigmoid));
            Tensor x = randn(3, 4, 5, 5);
            using var _ = no_grad();
            (Tensor y, Tensor logDet) = coupling.Forward(x);
            Assert.Equal(readsPrefix ? 1 : 0, spy.PrefixCalls);
            MaskedCoupling.PrefixEnabled = false;
            try
            {
                (Tensor wholeY, Tensor wholeLogDet) = coupling.Forward(x);
                AssertClose(wholeY, y, 1e-5, $"{kind}: output");
                AssertClose(wholeLogDet, logDet, 1e-5, $"{kind}: log-determinant");
            }
            finally
            {
                MaskedCoupling.PrefixEnabled = true;
            }
            Assert.Equal(readsPrefix ? 1 : 0, spy.PrefixCalls);                       // off: never asked
            AssertClose(x, coupling.Inverse(y).x, 1e-4, $"{kind}: inverse");
        }
    }

    [Fact]
    public void AVectorMaskIsNeverReadAsAPrefix()
    {
        var spy = new PrefixSpy(new Mlp(6, 12, 16, 2, zeroInitOutput: false), answers: true);
        var coupling = new MaskedCoupling(MaskedCoupling.AlternatingMask(6, odd: false), spy, new AffineMap());
        using var _ = no_grad();
        coupling.Forward(randn(3, 6));
        Assert.Equal(0, spy.PrefixCalls);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(1, expected.abs().max().to(float64).item<double>());
        double difference = (expected - actual).abs().max().to(float64).item<double>();
        Assert.True(difference <= tolerance * scale, $"{what} differs by {difference} of {scale}");
    }

    /// <summary>A conditioner that counts the calls for a prefix and answers them through its inner network, or not at all.</summary>
    private sealed class PrefixSpy : ConditionerNetwork
    {
        private readonly ConditionerNetwork inner;
        private readonly bool answers;

        public PrefixSpy(ConditionerNetwork inner, bool answers) : base(nameof(PrefixSpy))
        {
            this.inner = inner;
            this.answers = answers;
            RegisterComponents();
        }

        public int PrefixCalls { get; private set; }

        public override Tensor Forward(Tensor x, Tensor? context = null) => inner.Forward(x, context);

        public override Tensor? ForwardFromPrefix(Tensor prefix, Tensor outputs, Tensor? context = null)
        {
            PrefixCalls++;
            return answers ? inner.ForwardFromPrefix(prefix, outputs, context) : null;
        }
    }
}
