using static TorchSharp.torch;

namespace Tractable.Data.Toy;

/// <summary>
/// Uniform density on 8 of the 16 squares (side 2) of a 4×4 checkerboard covering [-4, 4]²: density 1/32 on the
/// support, zero elsewhere (so a smooth model's gap to the true NLL stays above zero).
/// </summary>
public sealed class Checkerboard : ToyDataset
{
    /// <inheritdoc />
    public override string Name => "checkerboard";

    /// <inheritdoc />
    public override bool HasLogProb => true;

    /// <inheritdoc />
    public override Tensor Sample(long n, Generator generator)
    {
        Tensor x1 = Uniform(generator, n) * 4 - 2;
        Tensor row = randint(0, 2, [n], generator: generator).to(float32);
        Tensor x2 = Uniform(generator, n) - 2 * row + x1.floor().remainder(2);
        return stack([x1, x2], 1) * 2;
    }

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x)
    {
        Tensor cell = (x / 2).floor();                                 // integer cell coordinates in [-2, 1]
        Tensor inside = (x.abs() < 4).all(1);
        Tensor black = (cell.select(1, 0) + cell.select(1, 1)).remainder(2).eq(0);
        Tensor logDensity = full_like(x.select(1, 0), -Math.Log(32));
        return where(inside.logical_and(black), logDensity, full_like(logDensity, double.NegativeInfinity));
    }
}
