using TorchSharp;
using Tractable.Distributions;
using static TorchSharp.torch;

namespace Tractable.Tests.Distributions;

/// <summary>Base densities integrate to one and their samples follow them.</summary>
public sealed class BaseDistributionTests
{
    public static IEnumerable<object[]> Names => [["normal"], ["diagonal-normal"], ["logistic"]];

    private static Distribution Create(string name) => name switch
    {
        "normal" => new StandardNormal(1),
        "diagonal-normal" => Randomized(new DiagonalNormal(1)),
        _ => new StandardLogistic(1),
    };

    private static DiagonalNormal Randomized(DiagonalNormal d)
    {
        using var _ = no_grad();
        foreach (var p in d.parameters()) p.fill_(0.3);
        return d;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void DensityIntegratesToOne(string name)
    {
        using var scope = NewDisposeScope();
        Distribution d = Create(name).to(float64);
        Tensor x = linspace(-30, 30, 200_001, dtype: float64).unsqueeze(1);
        double integral = d.LogProb(x).exp().sum().item<double>() * (60.0 / 200_000);
        Assert.InRange(integral, 0.9999, 1.0001);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SamplesMatchTheDensity(string name)
    {
        using var scope = NewDisposeScope();
        Distribution d = Create(name);
        using var g = new Generator(5);
        Tensor s = d.Sample(200_000, generator: g);
        Assert.Equal([200_000L, 1L], s.shape);
        // The sample mean of log p equals minus the entropy: compare with a quadrature of -∫ p log p.
        Distribution d64 = Create(name).to(float64);
        Tensor x = linspace(-30, 30, 200_001, dtype: float64).unsqueeze(1);
        Tensor logp = d64.LogProb(x);
        double negEntropy = (logp.exp() * logp).sum().item<double>() * (60.0 / 200_000);
        double mean = d.LogProb(s).mean().item<float>();
        Assert.InRange(mean, negEntropy - 0.01, negEntropy + 0.01);
    }

    [Fact]
    public void TemperatureScalesTheSpread()
    {
        using var g = new Generator(1);
        Tensor s = new StandardNormal(2).Sample(100_000, generator: g, temperature: 0.5);
        Assert.InRange(s.std().item<float>(), 0.49, 0.51);
    }
}
