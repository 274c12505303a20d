using static TorchSharp.torch;

namespace Tractable.Distributions;

/// <summary>The diagonal Gaussian log-density as a function of its parameters, shared by every Gaussian prior.</summary>
public static class Gaussian
{
    /// <summary><c>½ log 2π</c>, the normalizing term of every Gaussian log-density per dimension.</summary>
    public static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Element-wise <c>log N(x; μ, exp(logStd)²) = −½((x−μ)/σ)² − log σ − ½ log 2π</c>.</summary>
    public static Tensor LogDensity(Tensor x, Tensor mean, Tensor logStd) =>
        ((x - mean) * (-logStd).exp()).square().mul(-0.5) - logStd - HalfLog2Pi;

    /// <summary><c>μ + T·σ·ε</c>, ε standard normal drawn from <paramref name="generator"/>.</summary>
    public static Tensor Sample(Tensor mean, Tensor logStd, Generator? generator, double temperature) =>
        mean + randn(mean.shape, dtype: mean.dtype, device: mean.device, generator: generator) * logStd.exp() * temperature;
}
