using static TorchSharp.torch;

namespace Tractable.Data.Toy;

/// <summary>Five curved arms: Gaussian blobs stretched radially and rotated in proportion to their radius.</summary>
public sealed class Pinwheel : ToyDataset
{
    /// <inheritdoc />
    public override string Name => "pinwheel";

    /// <inheritdoc />
    public override Tensor Sample(long n, Generator generator)
    {
        const int arms = 5;
        const double radialStd = 0.3, tangentialStd = 0.1, rate = 0.25;
        Tensor arm = randint(0, arms, [n], generator: generator).to(float32);
        Tensor r = Noise(generator, n) * radialStd + 1;
        Tensor t = Noise(generator, n) * tangentialStd;
        Tensor angle = arm * (2 * Math.PI / arms) + rate * r.exp();
        (Tensor cos, Tensor sin) = (angle.cos(), angle.sin());
        Tensor x = r * cos - t * sin;
        Tensor y = r * sin + t * cos;
        return stack([x, y], 1) * 2;
    }
}
