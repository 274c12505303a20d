using Tractable.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// Dropout (Srivastava et al. 2014) whose masks come from <see cref="NoiseSource"/>, so that training with it is
/// reproducible and resumes exactly: in training mode each value is kept with probability <c>1 − p</c> and scaled by
/// <c>1/(1 − p)</c>; in evaluation mode it is the identity. TorchSharp's <c>nn.Dropout</c> draws from the global
/// generator, whose state no checkpoint holds.
/// </summary>
public sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double p;

    /// <summary>Drops each value with probability <paramref name="probability"/> in <c>[0, 1)</c>.</summary>
    public SeededDropout(double probability) : base(nameof(SeededDropout))
    {
        if (!(probability >= 0 && probability < 1)) throw new ArgumentOutOfRangeException(nameof(probability), $"Dropout must be in [0, 1), got {probability}.");
        p = probability;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (!training || p == 0) return x.alias();
        using Tensor keep = NoiseSource.Uniform(x).ge_(p);
        return x * keep / (1 - p);
    }
}
