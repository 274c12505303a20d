using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Tests.Training;

/// <summary>
/// The one-pass Adam update of flat CPU buffers against Algorithm 1 written as tensor operations, in float32 and
/// float64, with either kind of weight decay, over lengths that leave a tail after the last whole vector.
/// </summary>
public sealed class FusedAdamUpdateTests
{
    private static (Tensor Values, Tensor Gradients, Tensor First, Tensor Second) Buffers(long n, ScalarType dtype, int seed)
    {
        using var g = new Generator((ulong)seed);
        Tensor values = randn([n], dtype: dtype, generator: g);
        Tensor gradients = randn([n], dtype: dtype, generator: g) * rand([n], dtype: dtype, generator: g).pow(4);
        Tensor first = randn([n], dtype: dtype, generator: g) * 0.1;
        Tensor second = rand([n], dtype: dtype, generator: g) * 0.01;
        return (values, gradients, first, second);
    }

    /// <summary>Algorithm 1 (with the weight decay of Adam or AdamW) as tensor operations on copies.</summary>
    private static (Tensor Values, Tensor First, Tensor Second) Expected(Tensor values, Tensor gradients, Tensor first, Tensor second, AdamStepScalars s)
    {
        Tensor g = gradients + s.L2 * values;
        Tensor m = first * s.Beta1 + (1 - s.Beta1) * g;
        Tensor v = second * s.Beta2 + (1 - s.Beta2) * g * g;
        Tensor theta = values * s.Shrink + s.StepSize * m / (v.sqrt() / s.RootCorrection2 + s.Eps);
        return (theta, m, v);
    }

    private static double MaxAbs(Tensor t) => t.abs().max().to(float64).item<double>();

    public static IEnumerable<object[]> Cases =>
    [
        [ScalarType.Float64, 0.0, 1.0], [ScalarType.Float64, 0.1, 1.0], [ScalarType.Float64, 0.0, 0.999],
        [ScalarType.Float32, 0.0, 1.0], [ScalarType.Float32, 0.1, 1.0], [ScalarType.Float32, 0.0, 0.999],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void OnePassEqualsAlgorithmOne(ScalarType dtype, double l2, double shrink)
    {
        // 1,003 elements: whole vectors of either width, then a tail.
        var (values, gradients, first, second) = Buffers(1003, dtype, 5);
        var s = new AdamStepScalars(0.9, 0.999, -0.01 / (1 - Math.Pow(0.9, 3)), Math.Sqrt(1 - Math.Pow(0.999, 3)), 1e-8, l2, shrink);
        var (theta, m, v) = Expected(values, gradients, first, second, s);
        Tensor gradientsBefore = gradients.clone();

        FusedAdamUpdate.Apply(values, gradients, first, second, s, parts: 1);

        double tolerance = dtype == ScalarType.Float64 ? 1e-13 : 1e-5;
        Assert.True(MaxAbs(values - theta) < tolerance, $"weights differ by {MaxAbs(values - theta):G3}");
        Assert.True(MaxAbs(first - m) < tolerance);
        Assert.True(MaxAbs(second - v) < tolerance);
        Assert.True(gradients.eq(gradientsBefore).all().item<bool>(), "the gradients are only read");
        Assert.True(MaxAbs(values - Buffers(1003, dtype, 5).Values) > 1e-4, "the weights must have moved");
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void SplittingOverThreadsChangesNoBit(ScalarType dtype)
    {
        long n = 3 * FusedAdamUpdate.MinimumPerThread + 37;
        var one = Buffers(n, dtype, 9);
        var split = Buffers(n, dtype, 9);
        var s = new AdamStepScalars(0.9, 0.99, -1e-3, 0.5, 1e-8, 0.01, 1.0);

        FusedAdamUpdate.Apply(one.Values, one.Gradients, one.First, one.Second, s, parts: 1);
        FusedAdamUpdate.Apply(split.Values, split.Gradients, split.First, split.Second, s, parts: 3);

        Assert.True(one.Values.eq(split.Values).all().item<bool>());
        Assert.True(one.First.eq(split.First).all().item<bool>());
        Assert.True(one.Second.eq(split.Second).all().item<bool>());
        Assert.True(MaxAbs(one.Values - Buffers(n, dtype, 9).Values) > 1e-4, "the weights must have moved");
    }

    [Fact]
    public void ServesContiguousCpuFloatBuffersOnly()
    {
        Assert.True(FusedAdamUpdate.Supports(zeros(10)));
        Assert.True(FusedAdamUpdate.Supports(zeros(10, dtype: float64)));
        Assert.False(FusedAdamUpdate.Supports(zeros(10, dtype: float16)));
        Assert.False(FusedAdamUpdate.Supports(zeros(10, 2).t()));
    }
}
