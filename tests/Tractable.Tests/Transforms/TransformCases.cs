using Tractable.Models;
using Tractable.Networks;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using Tractable.Transforms.Preprocessing;
using static TorchSharp.torch;

namespace Tractable.Tests.Transforms;

/// <summary>Every invertible transform of the library, built for D features and C context features.</summary>
public static class TransformCases
{
    public static readonly Dictionary<string, Func<int, int, Bijector>> All = new()
    {
        ["affine-coupling-tanh"] = (d, c) => Coupling(d, c, new AffineMap(ScaleBound.Tanh), odd: false),
        ["affine-coupling-sigmoid"] = (d, c) => Coupling(d, c, new AffineMap(ScaleBound.Sigmoid), odd: true),
        ["split-coupling"] = (d, c) => new SplitCoupling(d / 2, new Mlp(d / 2, 2 * (d - d / 2), 16, 2, c, Tractable.Networks.Activation.Tanh), new AffineMap(ScaleBound.Tanh)),
        ["additive-coupling"] = (d, c) => Coupling(d, c, new AdditiveMap(), odd: false),
        ["diagonal-scaling"] = (d, _) => new DiagonalScaling(d),
        ["batch-norm"] = (d, _) => WarmBatchNorm(d),
        ["permutation-reverse"] = (d, _) => Permutation.Reverse(d),
        ["permutation-random"] = (d, _) => Permutation.Random(d, seed: 3),
        ["standardize"] = (d, _) => FittedStandardize(d),
        ["inverse-of-coupling"] = (d, c) => new InverseBijector(Coupling(d, c, new AffineMap(), odd: true)),
        ["chain"] = (d, c) => new Chain([Coupling(d, c, new AffineMap(), false), Permutation.Random(d, 1), Coupling(d, c, new AdditiveMap(), true)]),
        ["realnvp"] = (d, c) => ((Flow)new RealNvpConfig { Features = d, ContextFeatures = c, Couplings = 4, HiddenFeatures = 16, BatchNorm = true, Standardize = true }.Build()).Transform,
        ["realnvp-random-permutation"] = (d, c) => ((Flow)new RealNvpConfig { Features = d, ContextFeatures = c, Couplings = 3, HiddenFeatures = 16, Permutation = CouplingPermutation.Random }.Build()).Transform,
        ["rescale"] = (_, _) => new Rescale(1.0 / 256, -0.5),
        ["logit"] = (_, _) => new Logit(0.05),
        ["logit-maf"] = (_, _) => new Logit(1e-6),
        ["maf-layer"] = (d, c) => Autoregressive(d, c, new AffineMap(), FeatureOrder.Natural),
        ["iaf-gated-layer"] = (d, c) => new InverseBijector(Autoregressive(d, c, new SigmoidGatedMap(), FeatureOrder.Random)),
        ["maf"] = (d, c) => ((Flow)new MafConfig { Features = d, ContextFeatures = c, Layers = 3, HiddenFeatures = 16, BatchNorm = true, Standardize = true }.Build()).Transform,
        ["iaf"] = (d, c) => ((Flow)new IafConfig { Features = d, ContextFeatures = c, Layers = 2, HiddenFeatures = 16, Order = FeatureOrder.Random }.Build()).Transform,
        ["flatten"] = (d, _) => new Flatten([d]),
        ["nice"] = (d, c) => ((Flow)new NiceConfig { Features = d, ContextFeatures = c, HiddenFeatures = 16 }.Build()).Transform,
    };

    /// <summary>Maps standard-normal test inputs into a transform's domain, where it is not all of R^D.</summary>
    public static readonly Dictionary<string, Func<Tensor, Tensor>> Domains = new()
    {
        ["logit"] = x => nn.functional.sigmoid(x) * 0.98 + 0.01,
        ["logit-maf"] = x => nn.functional.sigmoid(x) * 0.98 + 0.01,
    };

    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    private static MaskedCoupling Coupling(int d, int c, ElementwiseMap map, bool odd) =>
        new(MaskedCoupling.AlternatingMask(d, odd), new Mlp(d, map.ParametersPerElement * d, 16, 2, c, Activation.Tanh), map);

    private static MaskedAutoregressive Autoregressive(int d, int c, ElementwiseMap map, FeatureOrder order) =>
        new(new Made(d, map.ParametersPerElement, 16, 2, Made.Degrees(order, d, seed: 1), c, Activation.Tanh), map);

    private static BatchNormBijector WarmBatchNorm(int d)
    {
        var bn = new BatchNormBijector(d, momentum: 0.5);
        using (no_grad()) bn.Forward(randn(64, d) * 2 + 1);   // running statistics away from (0, 1)
        bn.eval();
        return bn;
    }

    private static Standardize FittedStandardize(int d)
    {
        var s = new Standardize(d);
        s.Fit(randn(100, d) * 3 + 2);
        return s;
    }
}
