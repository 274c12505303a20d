using Tractable.Tests.Support;
using Tractable.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Transforms;

/// <summary>
/// The contract every transform keeps: inverse(forward(x)) = x, log-dets of the two directions cancel, and each
/// log-det equals log|det J| of the autograd Jacobian in float64.
/// </summary>
public sealed class BijectorContractTests
{
    private static readonly int[] Dimensions = [2, 3, 6];

    public static IEnumerable<object[]> Cases =>
        from name in TransformCases.All.Keys from d in Dimensions from c in new[] { 0, 3 } select new object[] { name, d, c };

    /// <summary>Builds a case with random parameters (<paramref name="scale"/>): no layer sits at its identity initialization.</summary>
    private static Bijector Build(string name, int d, int c, ScalarType dtype, double scale)
    {
        Bijector b = TransformCases.All[name](d, c);
        Jacobian.Randomize(b, scale, seed: 17 + d);
        b.to(dtype);
        b.eval();
        return b;
    }

    private static (Tensor x, Tensor? ctx) Inputs(int d, int c, ScalarType dtype, long seed, string? name = null)
    {
        using var g = new Generator((ulong)seed);
        Tensor x = randn([7, d], generator: g).to(dtype);
        if (name is not null && TransformCases.Domains.TryGetValue(name, out var domain)) x = domain(x);
        Tensor? ctx = c > 0 ? randn([7, c], generator: g).to(dtype) : null;
        return (x, ctx);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundTripInFloat32(string name, int d, int c)
    {
        using var scope = NewDisposeScope();
        // Moderate parameters: stacked scales up to e^±3 per layer would test float32's range, not the inverse.
        Bijector b = Build(name, d, c, float32, scale: 0.2);
        (Tensor x, Tensor? ctx) = Inputs(d, c, float32, seed: 1, name);
        using var _ = no_grad();
        (Tensor y, Tensor ld) = b.Forward(x, ctx);
        (Tensor back, Tensor ldInverse) = b.Inverse(y, ctx);
        Assert.Equal([7L], ld.shape);
        Assert.Equal([7L], ldInverse.shape);
        Assert.True((back - x).abs().max().item<float>() < 1e-4, $"{name}: max round-trip error {(back - x).abs().max().item<float>()}");
        Assert.True((ld + ldInverse).abs().max().item<float>() < 1e-4, $"{name}: forward and inverse log-dets do not cancel");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogDetMatchesAutogradJacobianInFloat64(string name, int d, int c)
    {
        using var scope = NewDisposeScope();
        Bijector b = Build(name, d, c, float64, scale: 0.5);
        (Tensor x, Tensor? ctx) = Inputs(d, c, float64, seed: 2, name);

        Tensor forwardLd = b.Forward(x, ctx).logAbsDet;
        Tensor expected = Jacobian.LogAbsDet(v => b.Forward(v, ctx).y, x);
        AssertClose(expected, forwardLd, $"{name} forward");

        Tensor y = b.Forward(x, ctx).y.detach();
        Tensor inverseLd = b.Inverse(y, ctx).logAbsDet;
        AssertClose(Jacobian.LogAbsDet(v => b.Inverse(v, ctx).x, y), inverseLd, $"{name} inverse");
    }

    [Fact]
    public void ConditionalTransformsDependOnTheContext()
    {
        using var scope = NewDisposeScope();
        Bijector b = Build("affine-coupling-tanh", 4, 3, float64, scale: 0.5);
        (Tensor x, Tensor? ctx) = Inputs(4, 3, float64, seed: 3);
        Tensor y1 = b.Forward(x, ctx).y, y2 = b.Forward(x, ctx! + 1).y;
        Assert.True((y1 - y2).abs().max().item<double>() > 1e-3);
    }

    internal static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Tensor error = (expected - actual).abs() / expected.abs().clamp_min(1.0);
        double worst = error.max().item<double>();
        Assert.True(worst < 1e-6, $"{what}: log-det differs from autograd by {worst:E2} (relative)");
    }
}
