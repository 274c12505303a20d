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
        using var glow = new PerturbedGlow(CouplingLayout.Masked, seed: 31, dtype);
        var couplings = glow.Model.modules().OfType<MaskedCoupling>().ToArray();
        Assert.Equal(4, couplings.Length);
        Assert.All(couplings, c => Assert.NotNull(c.KeptChannels));                    // every one reads its prefix
        (Tensor LogProb, Tensor[] Grads, Tensor Samples) Pass(bool prefix)
        {
            MaskedCoupling.PrefixEnabled = prefix;
            try
            {
                var (logProb, grads) = glow.LogProbAndGradients(threads, noiseSeed: 32);  // the same dequantization noise
                manual_seed(33);
                using var _ = no_grad();
                return (logProb, grads, OnThreads(threads, () => glow.Model.Sample(3)));
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
        TensorAssert.Close(whole.LogProb, read.LogProb, tolerance, "log p");
        TensorAssert.Close(whole.Samples, read.Samples, tolerance, "samples");
        for (int i = 0; i < whole.Grads.Length; i++) TensorAssert.Close(whole.Grads[i], read.Grads[i], tolerance, $"gradient of parameter {i}");
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
        TensorAssert.Close(whole, read, 1e-12, "output");
        for (int i = 0; i < wholeGrads.Length; i++) TensorAssert.Close(wholeGrads[i], readGrads[i], 1e-12, $"gradient of parameter {i}");
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
            Assert.Equal(readsPrefix && answers ? 1 : 0, spy.PrefixAnswers);
            MaskedCoupling.PrefixEnabled = false;
            try
            {
                (Tensor wholeY, Tensor wholeLogDet) = coupling.Forward(x);
                TensorAssert.Close(wholeY, y, 1e-5, $"{kind}: output");
                TensorAssert.Close(wholeLogDet, logDet, 1e-5, $"{kind}: log-determinant");
            }
            finally
            {
                MaskedCoupling.PrefixEnabled = true;
            }
            Assert.Equal(readsPrefix ? 1 : 0, spy.PrefixCalls);                       // off: never asked
            TensorAssert.Close(x, coupling.Inverse(y).x, 1e-4, $"{kind}: inverse");
        }
    }

    [Fact]
    public void AMaskOverwrittenByALoadIsReadAgain()
    {
        manual_seed(36);
        var spy = new PrefixSpy(new GlowConditioner(4, 8, 16), answers: true);
        using (no_grad())
            foreach (Tensor p in spy.parameters()) p.add_(randn_like(p) * 0.2);
        var coupling = new MaskedCoupling(ImageMasks.ChannelWise(4, 5, 5, flip: false), spy, new AffineMap(ScaleBound.Sigmoid));
        Tensor x = randn(3, 4, 5, 5);
        using var _ = no_grad();
        coupling.Forward(x);
        Assert.Equal(1, spy.PrefixAnswers);
        var state = coupling.state_dict();
        state["mask"] = ImageMasks.ChannelWise(4, 5, 5, flip: true);               // a model saved with the other half kept
        coupling.load_state_dict(state);
        Assert.Null(coupling.KeptChannels);
        (Tensor y, Tensor logDet) = coupling.Forward(x);
        Assert.Equal(1, spy.PrefixAnswers);                                            // the whole tensor this time
        TensorAssert.Close(x.narrow(1, 2, 2), y.narrow(1, 2, 2), 0, "the kept channels");
        Assert.True((x.narrow(1, 0, 2) - y.narrow(1, 0, 2)).abs().max().item<float>() > 1e-3, "the first channels are transformed");
        TensorAssert.Close(x, coupling.Inverse(y).x, 1e-4, "inverse");
        Assert.True(logDet.isfinite().all().item<bool>());
    }

    [Fact]
    public void AConditionerThatReadsNoPrefixesIsNeverAsked()
    {
        Assert.False(new ResNetConditioner(4, 8, 8, 1).ReadsPrefixes);               // RealNVP's image conditioner
        Assert.True(new GlowConditioner(4, 8, 8).ReadsPrefixes);
        var spy = new PrefixSpy(new GlowConditioner(4, 8, 16), answers: true, reads: false);
        var coupling = new MaskedCoupling(ImageMasks.ChannelWise(4, 5, 5, flip: false), spy, new AffineMap());
        using var _ = no_grad();
        Tensor x = randn(2, 4, 5, 5);
        Tensor y = coupling.Forward(x).y;
        Assert.Equal(0, spy.PrefixCalls);
        TensorAssert.Close(x.narrow(1, 0, 2), y.narrow(1, 0, 2), 0, "the kept channels");
        TensorAssert.Close(x, coupling.Inverse(y).x, 1e-4, "inverse");
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

    /// <summary>A conditioner that counts the calls for a prefix and answers them through its inner network, or not at all.</summary>
    private sealed class PrefixSpy : ConditionerNetwork
    {
        private readonly ConditionerNetwork inner;
        private readonly bool answers, reads;

        public PrefixSpy(ConditionerNetwork inner, bool answers, bool reads = true) : base(nameof(PrefixSpy))
        {
            this.inner = inner;
            this.answers = answers;
            this.reads = reads;
            RegisterComponents();
        }

        public int PrefixCalls { get; private set; }

        public int PrefixAnswers { get; private set; }

        public override Tensor Forward(Tensor x, Tensor? context = null) => inner.Forward(x, context);

        public override bool ReadsPrefixes => reads;

        public override Tensor? ForwardFromPrefix(Tensor prefix, Tensor outputs, Tensor? context = null)
        {
            PrefixCalls++;
            Tensor? parameters = answers ? inner.ForwardFromPrefix(prefix, outputs, context) : null;
            if (parameters is not null) PrefixAnswers++;
            return parameters;
        }
    }
}
