using Tractable.Distributions;
using Tractable.Networks;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Models.MultiScale;

/// <summary>
/// Factoring out half of the channels at the end of a level of a multi-scale flow (RealNVP, arXiv:1605.08803, §3.6):
/// the second half <c>z</c> leaves the flow and is scored by a prior, the first half <c>h</c> goes on. The prior is
/// the standard normal (RealNVP) or Glow's learned conditional prior <c>N(z; μ(h), σ(h))</c> with
/// <c>(μ, log σ)</c> from a zero-initialized convolution of <c>h</c> (Glow's <c>split2d</c>).
/// </summary>
public sealed class FactorOut : TorchSharp.torch.nn.Module
{
    private readonly ZeroConv2d? prior;

    /// <summary>A factor-out of <paramref name="channels"/> channels, half of which leave.</summary>
    public FactorOut(long channels, bool learnedPrior) : base(nameof(FactorOut))
    {
        if (channels % 2 != 0) throw new ArgumentException($"Factoring out needs an even number of channels, got {channels}.");
        prior = learnedPrior ? new ZeroConv2d(channels / 2, channels) : null;
        RegisterComponents();
    }

    private (Tensor mean, Tensor logStd) Prior(Tensor kept)
    {
        if (prior is null) return (zeros_like(kept), zeros_like(kept));
        Tensor[] p = TensorSizes.Chunk(prior.forward(kept), 2, 1);
        return (p[0], p[1]);
    }

    /// <summary>Splits <paramref name="h"/>; returns the half that goes on and the log-prior of the half that leaves, <c>[B]</c>.</summary>
    public (Tensor kept, Tensor logProb, Tensor factored) Split(Tensor h)
    {
        Tensor[] halves = TensorSizes.Chunk(h, 2, 1);
        (Tensor mean, Tensor logStd) = Prior(halves[0]);
        return (halves[0], Gaussian.LogDensity(halves[1], mean, logStd).flatten(1).sum(1), halves[1]);
    }

    /// <summary>Draws the factored half given the kept one (or uses <paramref name="factored"/>) and rejoins them.</summary>
    public Tensor Merge(Tensor kept, Generator? generator, double temperature, Tensor? factored = null)
    {
        (Tensor mean, Tensor logStd) = Prior(kept);
        return cat([kept, factored ?? Gaussian.Sample(mean, logStd, generator, temperature)], 1);
    }
}
