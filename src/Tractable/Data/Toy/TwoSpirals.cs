using static TorchSharp.torch;

namespace Tractable.Data.Toy;

/// <summary>Two interleaved Archimedean spirals with small Gaussian noise, scaled to about [-4, 4].</summary>
public sealed class TwoSpirals : ToyDataset
{
    /// <inheritdoc />
    public override string Name => "2spirals";

    /// <inheritdoc />
    public override Tensor Sample(long n, Generator generator)
    {
        Tensor t = Uniform(generator, n).sqrt() * (540 * 2 * Math.PI / 360);
        Tensor x = -t.cos() * t + Uniform(generator, n) * 0.5;
        Tensor y = t.sin() * t + Uniform(generator, n) * 0.5;
        Tensor sign = where(Uniform(generator, n) < 0.5, ones(n), -ones(n)).unsqueeze(1);
        return (stack([x, y], 1) * sign + 0.1 * Noise(generator, n, 2)) / 3;
    }
}
