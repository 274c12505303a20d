using static TorchSharp.torch;

namespace Tractable.Data.Toy;

/// <summary>
/// A synthetic 2D distribution that can be sampled with a seeded generator (the FFJORD and nflows toy sets),
/// and whose log-density is known in closed form for some.
/// </summary>
public abstract class ToyDataset
{
    /// <summary>The name used on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>Draws <paramref name="n"/> points <c>[n, 2]</c> (float32) from <paramref name="generator"/>.</summary>
    public abstract Tensor Sample(long n, Generator generator);

    /// <summary>The exact log-density in nats, or null where it has no closed form.</summary>
    public virtual Tensor? LogProb(Tensor x) => null;

    /// <summary>Whether <see cref="LogProb"/> is available.</summary>
    public virtual bool HasLogProb => false;

    /// <summary>Standard normal noise of shape <paramref name="shape"/>.</summary>
    protected static Tensor Noise(Generator g, params long[] shape) => randn(shape, generator: g);

    /// <summary>Uniform noise on [0, 1) of shape <paramref name="shape"/>.</summary>
    protected static Tensor Uniform(Generator g, params long[] shape) => rand(shape, generator: g);
}
