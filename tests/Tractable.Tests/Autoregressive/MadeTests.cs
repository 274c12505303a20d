using Tractable.Networks;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Autoregressive;

/// <summary>MADE's autoregressive property, checked through gradients and through the product of its masks.</summary>
public sealed class MadeTests
{
    public static IEnumerable<object[]> Cases =>
        from order in new[] { FeatureOrder.Natural, FeatureOrder.Reversed, FeatureOrder.Random }
        from hiddenLayers in new[] { 1, 3 }
        from context in new[] { 0, 2 }
        select new object[] { order, hiddenLayers, context };

    private static Made Build(FeatureOrder order, int hiddenLayers, int context, int d = 6, int hidden = 16, int outputs = 2)
    {
        var made = new Made(d, outputs, hidden, hiddenLayers, Made.Degrees(order, d, seed: 5), context, Activation.Tanh);
        Jacobian.Randomize(made, 0.5, seed: 9);               // the zero-initialized output layer would hide every dependence
        made.to(float64);
        return made;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OutputIDependsOnlyOnInputsBeforeIInTheOrder(FeatureOrder order, int hiddenLayers, int context)
    {
        using var scope = NewDisposeScope();
        const int d = 6, outputs = 2;
        Made made = Build(order, hiddenLayers, context, d, outputs: outputs);
        using var g = new Generator(1);
        Tensor x = randn([5, d], generator: g, dtype: float64);
        Tensor? ctx = context > 0 ? randn([5, context], generator: g, dtype: float64) : null;
        Tensor j = Jacobian.Of(v => made.Forward(v, ctx), x).abs().sum([0]);       // [outputs·D, D]
        int[] deg = made.InputDegrees;
        for (int o = 0; o < outputs * d; o++)
        for (int i = 0; i < d; i++)
        {
            double grad = j[o, i].item<double>();
            if (deg[i] >= deg[o % d]) Assert.True(grad == 0, $"{order}: output {o} (feature {o % d}) depends on input {i}");
            else Assert.True(grad > 0, $"{order}: output {o} should depend on input {i} (16 hidden units cover every degree)");
        }
    }

    [Theory]
    [InlineData(FeatureOrder.Natural)]
    [InlineData(FeatureOrder.Random)]
    public void ProductOfMasksIsStrictlyLowerTriangularInTheOrder(FeatureOrder order)
    {
        using var scope = NewDisposeScope();
        const int d = 7;
        Made made = Build(order, hiddenLayers: 2, context: 0, d, hidden: 10, outputs: 1);
        Tensor connectivity = made.Layers.Select(l => l.Mask.to(float64)).Aggregate((below, above) => above.matmul(below));  // [D, D]
        // Rows and columns sorted by degree: the order's position.
        Tensor byDegree = tensor(made.InputDegrees.Select((deg, i) => (deg, i)).OrderBy(p => p.deg).Select(p => (long)p.i).ToArray());
        Tensor sorted = connectivity.index_select(0, byDegree).index_select(1, byDegree);
        Assert.True(sorted.triu().eq(0).all().item<bool>(), "a feature sees itself or a later feature");
        Tensor below = ones(d, d).tril(-1).to(@bool);
        Assert.True(sorted.masked_select(below).gt(0).all().item<bool>(), "some earlier feature is cut off");
    }

    [Fact]
    public void ContextReachesEveryOutput()
    {
        using var scope = NewDisposeScope();
        Made made = Build(FeatureOrder.Natural, 1, context: 3);
        Tensor x = randn([4, 6], dtype: float64);
        Tensor c = randn([4, 3], dtype: float64);
        Tensor difference = (made.Forward(x, c) - made.Forward(x, c + 1)).abs().min();
        Assert.True(difference.item<double>() > 0);
    }

    [Fact]
    public void DegreesAreValidated()
    {
        Assert.Throws<ArgumentException>(() => new Made(3, 2, 8, 1, [1, 1, 2]));
        Assert.Equal([3, 2, 1], Made.Degrees(FeatureOrder.Reversed, 3));
        Assert.Equal(Made.Degrees(FeatureOrder.Random, 9, 4), Made.Degrees(FeatureOrder.Random, 9, 4));
        Assert.NotEqual(Made.Degrees(FeatureOrder.Random, 9, 4), Made.Degrees(FeatureOrder.Random, 9, 5));
    }
}
