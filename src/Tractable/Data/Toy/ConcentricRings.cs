using static TorchSharp.torch;

namespace Tractable.Data.Toy;

/// <summary>Four concentric circles (radii 0.75 to 3) with radial Gaussian noise (σ = 0.08).</summary>
public sealed class ConcentricRings : ToyDataset
{
    /// <inheritdoc />
    public override string Name => "rings";

    /// <inheritdoc />
    public override Tensor Sample(long n, Generator generator)
    {
        Tensor radius = (randint(0, 4, [n], generator: generator).to(float32) + 1) * 0.75;
        Tensor angle = Uniform(generator, n) * (2 * Math.PI);
        Tensor ring = stack([angle.cos(), angle.sin()], 1) * radius.unsqueeze(1);
        return ring + 0.08 * Noise(generator, n, 2);
    }
}
