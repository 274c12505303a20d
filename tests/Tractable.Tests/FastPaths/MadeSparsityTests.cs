using Tractable.Networks;
using Tractable.Tests.Support;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// MADE's structure used for speed, in float64 against the plain masked products: a block lower-triangular mask
/// multiplied run by run, and the inverse of a masked autoregressive layer swept one degree at a time against the
/// D full passes that define it. Values and gradients agree to rounding.
/// </summary>
public sealed class MadeSparsityTests
{
    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<double>();

    [Fact]
    public void ColumnRunsCoverEveryOpenEntryOfASortedMask()
    {
        int[] degrees = Enumerable.Range(0, 300).Select(k => 1 + k * 7 / 300).ToArray();       // sorted, 1..7
        Tensor mask = tensor(degrees).unsqueeze(1).ge(tensor(degrees).unsqueeze(0)).to(float32);
        MaskColumnRun[] runs = MaskColumnRuns.Plan(mask) ?? throw new Xunit.Sdk.XunitException("a block lower-triangular mask has a plan");
        Assert.True(runs.Length > 1);
        Assert.Equal(0, runs[0].Start);
        Assert.Equal(300, runs[^1].Start + runs[^1].Columns);
        for (int i = 1; i < runs.Length; i++) Assert.Equal(runs[i - 1].Start + runs[i - 1].Columns, runs[i].Start);
        foreach (MaskColumnRun r in runs)
        {
            Assert.Equal(0, mask.narrow(0, 0, r.FirstRow).narrow(1, r.Start, r.Columns).sum().item<float>());
            Assert.Equal(mask.narrow(0, r.FirstRow, 300 - r.FirstRow).narrow(1, r.Start, r.Columns).all().item<bool>(), r.Open);
        }
        Assert.True(runs.Sum(r => (300 - r.FirstRow) * r.Columns) < 0.8 * 300 * 300);

        Assert.Null(MaskColumnRuns.Plan(ones(300, 300)));                                        // nothing to skip
        using var g = new Generator(12);
        Assert.Null(MaskColumnRuns.Plan(rand([300, 300], generator: g).lt(0.5).to(float32)));    // no structure
    }

    [Fact]
    public void ProductByRunsEqualsTheDenseMaskedProductWithItsGradients()
    {
        manual_seed(13);
        int[] degrees = Enumerable.Range(0, 300).Select(k => 1 + k * 7 / 300).ToArray();
        var layer = new MaskedLinear(tensor(degrees).unsqueeze(1).ge(tensor(degrees).unsqueeze(0)));
        layer.to(float64);
        var weight = (Tensor)layer.named_parameters().First(p => p.name == "weight").parameter;
        var bias = (Tensor)layer.named_parameters().First(p => p.name == "bias").parameter;
        using var g = new Generator(14);
        Tensor x = randn([5, 300], float64, generator: g).requires_grad_();
        Tensor expected = nn.functional.linear(x, weight * layer.Mask, bias), actual = layer.ForwardByRuns(x);
        Assert.True(MaxDifference(expected, actual) < 1e-12);
        Tensor upstream = randn([5, 300], float64, generator: g);
        var dense = autograd.grad([(expected * upstream).sum()], [x, weight, bias]);
        var byRuns = autograd.grad([(actual * upstream).sum()], [x, weight, bias]);
        for (int i = 0; i < dense.Count; i++) Assert.True(MaxDifference(dense[i], byRuns[i]) < 1e-12);
        using (no_grad())
            Assert.True(MaxDifference(expected, layer.forward(x)) < 1e-12, "without autograd the layer takes the runs");
    }

    [Fact]
    public void RunsThatHoldClosedEntriesAreMasked()
    {
        // Three units per degree: the plan merges degrees into runs whose columns open to different rows.
        manual_seed(18);
        int[] degrees = Enumerable.Range(0, 300).Select(k => 1 + k / 3).ToArray();
        Tensor mask = tensor(degrees).unsqueeze(1).ge(tensor(degrees).unsqueeze(0)).to(float32);
        MaskColumnRun[] runs = MaskColumnRuns.Plan(mask) ?? throw new Xunit.Sdk.XunitException("a block lower-triangular mask has a plan");
        Assert.Contains(runs, r => !r.Open);
        var layer = new MaskedLinear(mask);
        layer.to(float64);
        var weight = (Tensor)layer.named_parameters().First(p => p.name == "weight").parameter;
        var bias = (Tensor)layer.named_parameters().First(p => p.name == "bias").parameter;
        using var g = new Generator(19);
        Tensor x = randn([5, 300], float64, generator: g);
        Assert.True(MaxDifference(nn.functional.linear(x, weight * layer.Mask, bias), layer.ForwardByRuns(x)) < 1e-12);
    }

    public static IEnumerable<object[]> Layers =>
        from order in new[] { FeatureOrder.Natural, FeatureOrder.Reversed, FeatureOrder.Random }
        from hidden in new[] { 3, 40 }                       // fewer units than degrees, and many per degree
        from context in new[] { 0, 2 }
        select new object[] { order, hidden, context };

    [Theory]
    [MemberData(nameof(Layers))]
    public void DegreeSweepInverseEqualsTheDPassInverseWithItsGradients(FeatureOrder order, int hidden, int context)
    {
        const int d = 6;
        var made = new Made(d, 2, hidden, 2, Made.Degrees(order, d, seed: 15), context, Activation.Relu);
        var layer = new MaskedAutoregressive(made, new AffineMap());
        Jacobian.Randomize(layer, 0.5, 16);
        layer.to(float64);
        using var g = new Generator(17);
        Tensor y = randn([7, d], float64, generator: g).requires_grad_();
        Tensor? ctx = context > 0 ? randn([7, context], float64, generator: g) : null;

        (Tensor expectedX, Tensor expectedLd) = layer.InverseByPasses(y, ctx);
        (Tensor x, Tensor ld) = layer.Inverse(y, ctx);
        Assert.True(MaxDifference(expectedX, x) < 1e-10);
        Assert.True(MaxDifference(expectedLd, ld) < 1e-10);
        Assert.True(MaxDifference(layer.Forward(x, ctx).y, y) < 1e-10, "the swept inverse is not the layer's inverse");

        Tensor[] inputs = [y, .. layer.parameters()];
        Tensor upstream = randn([7, d], float64, generator: g);
        var byPasses = autograd.grad([(expectedX * upstream).sum() + expectedLd.sum()], inputs, allow_unused: true);
        var swept = autograd.grad([(x * upstream).sum() + ld.sum()], inputs, allow_unused: true);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (byPasses[i] is null || byPasses[i].IsInvalid) continue;
            Assert.True(MaxDifference(byPasses[i], swept[i]) < 1e-9, $"gradient {i} differs");
        }
    }
}
