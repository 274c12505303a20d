using Tractable.Models.Latent;
using Tractable.Networks;
using Tractable.Tests.Support;
using Tractable.Tests.Transforms;
using Tractable.Transforms;
using Tractable.Transforms.Amortized;
using Tractable.Transforms.Elementwise;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Latent;

/// <summary>
/// The posterior steps whose parameters come from the encoder: log-dets against autograd in float64, inverses where
/// they exist, and the invertibility constraints for any parameters an encoder can emit.
/// </summary>
public sealed class AmortizedStepTests
{
    private const int Batch = 7;
    private const int IafContext = 3;

    public static IEnumerable<object[]> Cases =>
        from kind in new[] { PosteriorFlow.Planar, PosteriorFlow.Radial, PosteriorFlow.Iaf } from d in new[] { 2, 3, 6 } select new object[] { kind, d };

    /// <summary>One step of <paramref name="kind"/> over <paramref name="d"/> dimensions and the width of its context.</summary>
    private static (Bijector Step, int ContextWidth) Step(PosteriorFlow kind, int d) => kind switch
    {
        PosteriorFlow.Planar => (new AmortizedPlanar(d), AmortizedPlanar.ContextSize(d)),
        PosteriorFlow.Radial => (new AmortizedRadial(d), AmortizedRadial.ContextSize(d)),
        _ => (new InverseBijector(new MaskedAutoregressive(new Made(d, 2, 16, 1, Made.Degrees(Tractable.Networks.FeatureOrder.Reversed, d), IafContext, Tractable.Networks.Activation.Elu, zeroInitOutput: false),
            new SigmoidGatedMap())), IafContext),
    };

    /// <summary>The K-step posterior of a VAE with latent dimension <paramref name="d"/>, as the model builds it.</summary>
    private static Bijector Posterior(PosteriorFlow kind, int d, int steps) =>
        new VaeConfig { Latent = d, Posterior = kind, FlowSteps = steps, IafContextFeatures = IafContext, IafHiddenFeatures = 16 }.CreatePosteriorFlow()!;

    private static (Tensor Z, Tensor Context) Inputs(int d, int width, ulong seed, double contextScale = 1.5)
    {
        using var g = new Generator(seed);
        return (randn([Batch, d], dtype: float64, generator: g) * 1.5, randn([Batch, width], dtype: float64, generator: g) * contextScale);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepLogDetMatchesAutogradInFloat64(PosteriorFlow kind, int d)
    {
        using var scope = NewDisposeScope();
        (Bijector step, int width) = Step(kind, d);
        Jacobian.Randomize(step, 0.5, seed: 3);
        step.to(float64);
        for (ulong seed = 0; seed < 3; seed++)
        {
            (Tensor z, Tensor context) = Inputs(d, width, seed);
            Tensor logDet = step.Inverse(z, context).logAbsDet;
            BijectorContractTests.AssertClose(Jacobian.LogAbsDet(v => step.Inverse(v, context).x, z), logDet, $"{kind} d={d} seed {seed}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PosteriorChainLogDetMatchesAutogradAndEachStepReadsItsOwnContext(PosteriorFlow kind, int d)
    {
        using var scope = NewDisposeScope();
        const int steps = 3;
        Bijector chain = Posterior(kind, d, steps);
        Jacobian.Randomize(chain, 0.5, seed: 4);
        chain.to(float64);
        int width = new VaeConfig { Latent = d, Posterior = kind, FlowSteps = steps, IafContextFeatures = IafContext }.PosteriorContextFeatures;
        (Tensor z, Tensor context) = Inputs(d, width, seed: 5);
        Tensor logDet = chain.Inverse(z, context).logAbsDet;
        BijectorContractTests.AssertClose(Jacobian.LogAbsDet(v => chain.Inverse(v, context).x, z), logDet, $"{kind} chain d={d}");
        // Every context column reaches the output (no step reads another's parameters in place of its own).
        Tensor c = context.clone().requires_grad_(true);
        Tensor used = autograd.grad([chain.Inverse(z, c).x.sum()], [c])[0].abs().sum(0);
        Assert.True(used.gt(0).all().item<bool>(), $"{kind}: context columns unused: {used}");
    }

    /// <summary>Radial and IAF steps invert (radial in closed form along its ray, IAF in D passes); log-dets cancel.</summary>
    [Theory]
    [InlineData(PosteriorFlow.Radial, 3, 1.5)]
    [InlineData(PosteriorFlow.Radial, 6, 6.0)]      // parameters far from the identity: β near −α, contractions and expansions
    [InlineData(PosteriorFlow.Iaf, 3, 1.5)]
    [InlineData(PosteriorFlow.Iaf, 6, 1.5)]
    public void InversesRoundTripAndLogDetsCancel(PosteriorFlow kind, int d, double contextScale)
    {
        using var scope = NewDisposeScope();
        Bijector chain = Posterior(kind, d, steps: 3);
        Jacobian.Randomize(chain, 0.5, seed: 6);
        chain.to(float64);
        Assert.Equal(BijectorDirections.Both, chain.Directions);
        int width = new VaeConfig { Latent = d, Posterior = kind, FlowSteps = 3, IafContextFeatures = IafContext }.PosteriorContextFeatures;
        (Tensor z0, Tensor context) = Inputs(d, width, seed: 7, contextScale);
        (Tensor zK, Tensor pushLogDet) = chain.Inverse(z0, context);
        zK = zK.detach();
        (Tensor back, Tensor pullLogDet) = chain.Forward(zK, context);
        Assert.True((back - z0).abs().max().item<double>() < 1e-9, $"{kind}: round trip error {(back - z0).abs().max().item<double>():E2}");
        Assert.True((pushLogDet + pullLogDet).abs().max().item<double>() < 1e-9, $"{kind}: log-dets do not cancel");
        BijectorContractTests.AssertClose(Jacobian.LogAbsDet(v => chain.Forward(v, context).y, zK), pullLogDet, $"{kind} pull");
    }

    [Fact]
    public void PlanarStepHasNoInverse()
    {
        var step = new AmortizedPlanar(2);
        Assert.Equal(BijectorDirections.Inverse, step.Directions);
        Assert.Throws<DirectionNotAvailableException>(() => step.Forward(zeros(3, 2), zeros(3, 5)));
        Assert.Throws<ArgumentException>(() => step.Inverse(zeros(3, 2), zeros(3, 4)));
    }

    /// <summary>
    /// Whatever an encoder emits (raw u, w, b of any scale, w·u far below −1, w = 0, in float32 and float64), the
    /// constrained û has <c>wᵀû ≥ −1</c> and the log-det is finite; where the Jacobian can be formed, its determinant is
    /// positive (the step does not fold the space).
    /// </summary>
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void PlanarConstraintHoldsForEveryParameterTheEncoderCanEmit(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        const int d = 4;
        using var g = new Generator(8);
        var contexts = new List<Tensor>();
        foreach (double scale in new[] { 1e-3, 0.1, 1, 10, 1e3, 1e6 })
            contexts.Add(randn([64, 2 * d + 1], dtype: float64, generator: g) * scale);
        // Adversarial: u = −t·w, so that wᵀu = −t‖w‖² runs far below −1; and w = 0.
        Tensor w = randn([64, d], dtype: float64, generator: g);
        Tensor t = logspace(-2, 8, 64, dtype: float64).unsqueeze(1);
        contexts.Add(cat([-t * w, w, randn([64, 1], dtype: float64, generator: g)], 1));
        contexts.Add(cat([randn([64, d], dtype: float64, generator: g) * 100, zeros([64, d], dtype: float64), randn([64, 1], dtype: float64, generator: g)], 1));
        var step = new AmortizedPlanar(d);
        foreach (Tensor raw in contexts)
        {
            Tensor context = raw.to(dtype);
            (Tensor u, Tensor wRaw, _) = step.Unpack(context);
            Tensor wu = (wRaw * PlanarFlow.ConstrainU(u, wRaw)).sum(1).to(float64);
            // The exact value is −1 + softplus(wᵀu) > −1; rounding in û may move the computed product by a few ulps of its terms.
            Tensor slack = (wRaw * u).abs().sum(1).to(float64) * (dtype == ScalarType.Float32 ? 1e-5 : 1e-13);
            Assert.True((wu + 1 + slack).min().item<double>() >= 0, $"wᵀû = {wu.min().item<double>()} < −1");
            Tensor z = randn([64, d], dtype: float64, generator: g).to(dtype) * 3;
            Tensor logDet = step.Inverse(z, context).logAbsDet;
            Assert.True(isfinite(logDet).all().item<bool>(), "a planar log-det is not finite");
        }
        if (dtype != ScalarType.Float64) return;
        foreach (Tensor context in contexts.Take(4))
        {
            Tensor z = randn([64, d], dtype: float64, generator: g) * 3;
            Tensor determinants = linalg.det(Jacobian.Of(v => step.Inverse(v, context).x, z));
            Assert.True(determinants.min().item<double>() > 0, $"det J = {determinants.min().item<double>()}");
        }
    }

    /// <summary>Radial steps keep a positive determinant for raw parameters of any scale (β ≥ −α by construction).</summary>
    [Fact]
    public void RadialConstraintHoldsForEveryParameterTheEncoderCanEmit()
    {
        using var scope = NewDisposeScope();
        const int d = 3;
        var step = new AmortizedRadial(d);
        using var g = new Generator(9);
        foreach (double scale in new[] { 1e-3, 0.1, 1, 10, 100 })
        {
            Tensor context = randn([64, d + 2], dtype: float64, generator: g) * scale;
            Tensor z = randn([64, d], dtype: float64, generator: g) * 3;
            Tensor logDet = step.Inverse(z, context).logAbsDet;
            Assert.True(isfinite(logDet).all().item<bool>(), $"scale {scale}: a radial log-det is not finite");
            if (scale > 10) continue;   // exp(±100) overflows any Jacobian
            Tensor determinants = linalg.det(Jacobian.Of(v => step.Inverse(v, context).x, z));
            Assert.True(determinants.min().item<double>() > 0, $"scale {scale}: det J = {determinants.min().item<double>()}");
        }
    }
}
