using Tractable.Networks;
using Tractable.Tests.Support;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Autoregressive;

/// <summary>MAF and IAF layers: triangular Jacobians in the layer's order, exact log-dets, and IAF = MAF⁻¹.</summary>
public sealed class AutoregressiveLayerTests
{
    private const int D = 5;

    public static IEnumerable<object[]> Layers =>
        from direction in new[] { "maf", "iaf" }
        from map in new[] { "affine", "gated" }
        from order in new[] { FeatureOrder.Natural, FeatureOrder.Random }
        from context in new[] { 0, 2 }
        select new object[] { direction, map, order, context };

    private static MaskedAutoregressive Layer(string map, FeatureOrder order, int context, long seed = 3)
    {
        var made = new Made(D, 2, 12, 2, Made.Degrees(order, D, seed: 8), context, Activation.Tanh);
        ElementwiseMap m = map == "affine" ? new AffineMap() : new SigmoidGatedMap();
        var layer = new MaskedAutoregressive(made, m);
        Jacobian.Randomize(layer, 0.4, seed);
        layer.to(float64);
        return layer;
    }

    private static Bijector Directed(MaskedAutoregressive layer, string direction) =>
        direction == "maf" ? layer : new InverseBijector(layer);

    private static (Tensor x, Tensor? ctx) Inputs(int context, long seed)
    {
        using var g = new Generator((ulong)seed);
        return (randn([6, D], generator: g, dtype: float64), context > 0 ? randn([6, context], generator: g, dtype: float64) : null);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void JacobianIsTriangularInTheLayersOrderAndLogDetMatchesAutograd(string direction, string map, FeatureOrder order, int context)
    {
        using var scope = NewDisposeScope();
        MaskedAutoregressive layer = Layer(map, order, context);
        Bijector b = Directed(layer, direction);
        (Tensor x, Tensor? ctx) = Inputs(context, 4);

        Tensor j = Jacobian.Of(v => b.Forward(v, ctx).y, x);                      // [B, D, D]
        int[] deg = layer.Conditioner.InputDegrees;
        Tensor byDegree = tensor(deg.Select((dg, i) => (dg, i)).OrderBy(p => p.dg).Select(p => (long)p.i).ToArray());
        Tensor sorted = j.index_select(1, byDegree).index_select(2, byDegree);
        Assert.True(sorted.triu(1).eq(0).all().item<bool>(), $"{direction}: output i depends on a later input");
        Assert.True(sorted.tril(-1).abs().sum().item<double>() > 0, $"{direction}: no dependence at all below the diagonal");

        Tensor expected = linalg.slogdet(j).Item2;
        Tensor actual = b.Forward(x, ctx).logAbsDet;
        Assert.True((expected - actual).abs().max().item<double>() < 1e-8, $"{direction}: log-det differs from autograd");
    }

    [Theory]
    [InlineData("affine", 0)]
    [InlineData("gated", 2)]
    public void IafIsTheInverseOfMaf(string map, int context)
    {
        using var scope = NewDisposeScope();
        MaskedAutoregressive maf = Layer(map, FeatureOrder.Random, context);
        var iaf = new InverseBijector(maf);
        (Tensor x, Tensor? ctx) = Inputs(context, 5);
        (Tensor u, Tensor ldMaf) = maf.Forward(x, ctx);                           // one pass
        (Tensor back, Tensor ldIaf) = iaf.Forward(u, ctx);                        // D passes
        Assert.True((back - x).abs().max().item<double>() < 1e-10, "IAF(MAF(x)) != x");
        Assert.True((ldMaf + ldIaf).abs().max().item<double>() < 1e-10, "log-dets do not cancel");
        (Tensor again, _) = iaf.Inverse(iaf.Forward(x, ctx).y, ctx);
        Assert.True((again - x).abs().max().item<double>() < 1e-10, "IAF⁻¹(IAF(x)) != x");
    }

    [Fact]
    public void GatedMapIsIafsUpdate()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(4, 3, dtype: float64), m = randn(4, 3, dtype: float64), s = randn(4, 3, dtype: float64);
        (Tensor y, Tensor ld) = new SigmoidGatedMap(gateBias: 0).Forward(x, cat([m, s], 1));
        Tensor sigma = s.sigmoid();
        Assert.True((y - (sigma * x + (1 - sigma) * m)).abs().max().item<double>() < 1e-12);
        Assert.True((ld - sigma.log()).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void ZeroInitializedLayerIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        var layer = new MaskedAutoregressive(new Made(D, 2, 8, 1, Made.Degrees(FeatureOrder.Natural, D)), new AffineMap());
        Tensor x = randn(3, D);
        (Tensor y, Tensor ld) = layer.Forward(x);
        Assert.True(y.eq(x).all().item<bool>());
        Assert.True(ld.eq(0).all().item<bool>());
    }
}
