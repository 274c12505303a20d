using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Distributions;

/// <summary>The diagonal Gaussian log-density as a function of its parameters, shared by every Gaussian prior.</summary>
public static class Gaussian
{
    /// <summary><c>½ log 2π</c>, the normalizing term of every Gaussian log-density per dimension.</summary>
    public static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Element-wise <c>log N(x; μ, exp(logStd)²) = −½((x−μ)/σ)² − log σ − ½ log 2π</c>.</summary>
    public static Tensor LogDensity(Tensor x, Tensor mean, Tensor logStd) =>
        ((x - mean) * (-logStd).exp()).square().mul(-0.5) - logStd - HalfLog2Pi;

    /// <summary>
    /// Element-wise <c>KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1) − log σ</c> (Kingma &amp; Welling 2014, arXiv:1312.6114,
    /// Appendix B), <c>σ = exp(logStd)</c>.
    /// </summary>
    public static Tensor KlToStandardNormal(Tensor mean, Tensor logStd) =>
        (mean.square() + (2 * logStd).exp() - 1).mul(0.5) - logStd;

    /// <summary><c>μ + T·σ·ε</c>, ε standard normal drawn from <paramref name="generator"/>.</summary>
    public static Tensor Sample(Tensor mean, Tensor logStd, Generator? generator, double temperature) =>
        mean + randn(TensorSizes.Of(mean), dtype: mean.dtype, device: mean.device, generator: generator) * logStd.exp() * temperature;
}
