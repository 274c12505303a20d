using Tractable.Tests.Support;
using Tractable.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Transforms;

/// <summary>Planar and radial flows: only the noise-to-data direction exists, its log-det is exact, and the constraints keep it invertible.</summary>
public sealed class PlanarRadialTests
{
    public static IEnumerable<object[]> Cases =>
        from kind in new[] { "planar", "radial" } from d in new[] { 2, 3, 6 } select new object[] { kind, d };

    private static Bijector Create(string kind, int d) => kind == "planar" ? new PlanarFlow(d) : new RadialFlow(d);

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogDetMatchesAutogradJacobian(string kind, int d)
    {
        using var scope = NewDisposeScope();
        for (int seed = 0; seed < 5; seed++)
        {
            Bijector b = Create(kind, d);
            Jacobian.Randomize(b, 2.0, seed);
            b.to(float64);
            using var g = new Generator((ulong)(100 + seed));
            Tensor z = randn([6, d], generator: g).to(float64) * 2;
            Tensor ld = b.Inverse(z).logAbsDet;
            BijectorContractTests.AssertClose(Jacobian.LogAbsDet(v => b.Inverse(v).x, z), ld, $"{kind} seed {seed}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConstraintKeepsTheDeterminantPositive(string kind, int d)
    {
        using var scope = NewDisposeScope();
        for (int seed = 0; seed < 50; seed++)
        {
            // Large random parameters, where an unconstrained u (or β) would often fold the plane.
            Bijector b = Create(kind, d);
            Jacobian.Randomize(b, 5.0, seed);
            b.to(float64);
            using var g = new Generator((ulong)seed);
            Tensor z = randn([64, d], generator: g).to(float64) * 3;
            Tensor determinants = linalg.det(Jacobian.Of(v => b.Inverse(v).x, z));
            Assert.True(determinants.min().item<double>() > 0, $"{kind} seed {seed}: det J = {determinants.min().item<double>()}");
        }
    }

    [Fact]
    public void PlanarConstraintHolds()
    {
        var p = new PlanarFlow(4);
        Jacobian.Randomize(p, 5.0, seed: 9);
        using var _ = no_grad();
        Tensor w = p.parameters().ElementAt(1);
        Assert.True(w.dot(p.ConstrainedU()).item<float>() > -1);
    }

    [Theory]
    [InlineData("planar")]
    [InlineData("radial")]
    public void DataToNoiseDirectionIsAClearError(string kind)
    {
        Bijector b = Create(kind, 2);
        Assert.Equal(BijectorDirections.Inverse, b.Directions);
        var e = Assert.Throws<DirectionNotAvailableException>(() => b.Forward(zeros(3, 2)));
        Assert.Contains("no closed-form inverse", e.Message);
    }
}
