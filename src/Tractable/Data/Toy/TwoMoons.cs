using static TorchSharp.torch;

namespace Tractable.Data.Toy;

/// <summary>Two interleaving half circles with Gaussian noise (σ = 0.1), scaled to about [-3, 3].</summary>
public sealed class TwoMoons : ToyDataset
{
    /// <inheritdoc />
    public override string Name => "moons";

    /// <inheritdoc />
    public override Tensor Sample(long n, Generator generator)
    {
        Tensor t = Uniform(generator, n) * Math.PI;
        Tensor upper = Uniform(generator, n) < 0.5;
        Tensor x = where(upper, t.cos(), 1 - t.cos());
        Tensor y = where(upper, t.sin(), 0.5 - t.sin());
        Tensor points = stack([x, y], 1) + 0.1 * Noise(generator, n, 2);
        return (points * 2 - tensor(new float[] { 1f, 0.5f }) ).to(float32);
    }
}
