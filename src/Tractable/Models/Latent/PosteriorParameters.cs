using static TorchSharp.torch;

namespace Tractable.Models.Latent;

/// <summary>
/// What the encoder says about each example: the diagonal Gaussian <c>q₀(z|x) = N(Mean, exp(LogStd)²)</c> <c>[B, D]</c>
/// and the context <c>[B, A]</c> of the flow steps that refine it (their amortized parameters, or IAF's <c>h</c>; null
/// without steps).
/// </summary>
/// <param name="Mean">Posterior means <c>[B, D]</c>.</param>
/// <param name="LogStd">Posterior log standard deviations <c>[B, D]</c>.</param>
/// <param name="Context">The flow steps' context <c>[B, A]</c>, or null.</param>
public sealed record PosteriorParameters(Tensor Mean, Tensor LogStd, Tensor? Context)
{
    /// <summary>Every row repeated <paramref name="samples"/> times, sample-major: row <c>s·B + b</c> is example <c>b</c>.</summary>
    public PosteriorParameters Repeat(int samples) =>
        samples == 1 ? this : new(Mean.repeat(samples, 1), LogStd.repeat(samples, 1), Context?.repeat(samples, 1));
}
