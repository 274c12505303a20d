using static TorchSharp.torch;

namespace Tractable.Data.Toy;

/// <summary>The 2D Swiss roll: <c>t·(cos t, sin t)</c> for <c>t ∈ 1.5π·[1, 3]</c>, with noise, scaled by 1/5.</summary>
public sealed class SwissRoll : ToyDataset
{
    /// <inheritdoc />
    public override string Name => "swissroll";

    /// <inheritdoc />
    public override Tensor Sample(long n, Generator generator)
    {
        Tensor t = (1 + 2 * Uniform(generator, n)) * (1.5 * Math.PI);
        Tensor roll = stack([t * t.cos(), t * t.sin()], 1) + Noise(generator, n, 2);
        return roll / 5;
    }
}
