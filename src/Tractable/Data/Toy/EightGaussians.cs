using static TorchSharp.torch;

namespace Tractable.Data.Toy;

/// <summary>
/// An equal mixture of 8 isotropic Gaussians (σ = 0.5/√2) whose means lie on a circle of radius 2√2; its
/// density is known, so a model's NLL can be compared with the true NLL.
/// </summary>
public sealed class EightGaussians : ToyDataset
{
    private const double Radius = 2.0 * 1.4142135623730951;
    private const double Sigma = 0.5 / 1.4142135623730951;

    /// <inheritdoc />
    public override string Name => "8gaussians";

    /// <inheritdoc />
    public override bool HasLogProb => true;

    private static Tensor Means(ScalarType dtype, Device device)
    {
        Tensor angle = arange(8, dtype: float64) * (Math.PI / 4);
        return (stack([angle.cos(), angle.sin()], 1) * Radius).to(dtype, device); // [8, 2]
    }

    /// <inheritdoc />
    public override Tensor Sample(long n, Generator generator)
    {
        Tensor component = randint(0, 8, [n], generator: generator);
        Tensor means = Means(float32, CPU).index_select(0, component);
        return means + Sigma * Noise(generator, n, 2);
    }

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x)
    {
        Tensor d2 = (x.unsqueeze(1) - Means(x.dtype, x.device)).square().sum(2);     // [B, 8]
        Tensor logComponent = -0.5 * d2 / (Sigma * Sigma) - Math.Log(2 * Math.PI * Sigma * Sigma);
        return logComponent.logsumexp(1) - Math.Log(8);
    }
}
