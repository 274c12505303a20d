using Tractable.Data;
using Tractable.Data.Energy;
using Tractable.Data.Toy;
using Tractable.Evaluation;
using static TorchSharp.torch;

namespace Tractable.Tests.Data;

public sealed class ToyDatasetTests
{
    public static IEnumerable<object[]> Names => ToyDatasets.All.Select(d => new object[] { d.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void SamplingIsSeededAndTwoDimensional(string name)
    {
        ToyDataset d = ToyDatasets.Find(name)!;
        using var g1 = new Generator(7);
        using var g2 = new Generator(7);
        using var g3 = new Generator(8);
        Tensor a = d.Sample(500, g1), b = d.Sample(500, g2), c = d.Sample(500, g3);
        Assert.Equal([500L, 2L], a.shape);
        Assert.Equal(ScalarType.Float32, a.dtype);
        Assert.True(a.eq(b).all().item<bool>());
        Assert.False(a.eq(c).all().item<bool>());
        Assert.True(isfinite(a).all().item<bool>());
        Assert.InRange(a.abs().max().item<float>(), 0.5, 8);
    }

    [Theory]
    [InlineData("8gaussians")]
    [InlineData("checkerboard")]
    public void TrueDensityIntegratesToOneAndCoversTheSamples(string name)
    {
        ToyDataset d = ToyDatasets.Find(name)!;
        var bounds = Bounds2D.Square(6);
        double logIntegral = DensityGrid.LogIntegral(DensityGrid.LogDensity(x => d.LogProb(x.to(float64))!, bounds, 600), bounds);
        Assert.InRange(Math.Exp(logIntegral), 0.99, 1.01);
        using var g = new Generator(3);
        Tensor logp = d.LogProb(d.Sample(5000, g).to(float64))!;
        Assert.True(isfinite(logp).all().item<bool>(), $"{name}: a sample has zero true density");
    }

    [Fact]
    public void CatalogSplitsAreFixedByTheDataSeed()
    {
        DataSplits a = DatasetCatalog.Load("moons"), b = DatasetCatalog.Load("moons");
        Assert.True(a.Test.X.eq(b.Test.X).all().item<bool>());
        Assert.False(a.Train.X.narrow(0, 0, 100).eq(a.Test.X.narrow(0, 0, 100)).all().item<bool>());
        Assert.Null(a.TrueLogProb);
        Assert.NotNull(DatasetCatalog.Load("8gaussians").TrueLogProb);
    }

    [Fact]
    public void UnknownDatasetIsAClearError()
    {
        var e = Assert.Throws<InvalidSettingException>(() => DatasetCatalog.Load("mooons"));
        Assert.Contains("Unknown dataset 'mooons'", e.Message);
        Assert.Contains("8gaussians", e.Message);
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("u2")]
    [InlineData("u3")]
    [InlineData("u4")]
    public void EnergiesAreFiniteAndNormalizable(string name)
    {
        PotentialEnergy u = PotentialEnergy.Find(name)!;
        var bounds = Bounds2D.Square(6);
        Tensor grid = DensityGrid.LogDensity(u.LogUnnormalized, bounds, 300);
        Assert.True(isfinite(grid).all().item<bool>());
        double logZ = DensityGrid.LogIntegral(grid, bounds);
        // Mass near the edge of the box would make log Z depend on the box: it must be negligible.
        Tensor border = cat([grid[0], grid[-1], grid[.., 0], grid[.., -1]]);
        Assert.True(border.max().item<double>() < logZ - 8, $"{name}: mass at the border of the integration box");
    }

    [Fact]
    public void U1MatchesTheFormulaAtAPoint()
    {
        // U1(z) at z = (2, 0): ½((2-2)/0.4)² - ln(e^0 + e^{-½(4/0.6)²}).
        double expected = -Math.Log(1 + Math.Exp(-0.5 * Math.Pow(4 / 0.6, 2)));
        double actual = PotentialEnergy.Find("u1")!.Energy(tensor(new[,] { { 2.0, 0.0 } })).item<double>();
        Assert.Equal(expected, actual, 10);
    }
}
