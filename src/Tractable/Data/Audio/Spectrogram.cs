using static TorchSharp.torch;

namespace Tractable.Data.Audio;

/// <summary>Summary figures of a piece of audio that tell speech from silence and from white noise.</summary>
/// <param name="Seconds">Duration.</param>
/// <param name="Rms">Root-mean-square amplitude (full scale = 1).</param>
/// <param name="SpectralFlatness">Mean over non-silent frames of the geometric over the arithmetic mean of the power spectrum: about 0.56 for white noise (the mean of an exponential's log), far lower for voiced speech.</param>
/// <param name="SilentFraction">Fraction of frames more than 40 dB below the loudest frame.</param>
/// <param name="EnvelopeVariation">Coefficient of variation of the frame energies in dB above the floor: speech comes in syllables, stationary noise does not.</param>
public sealed record AudioSummary(double Seconds, double Rms, double SpectralFlatness, double SilentFraction, double EnvelopeVariation);

/// <summary>Short-time power spectra (a Hann-windowed STFT via <c>torch.stft</c>) and the figures of <see cref="AudioSummary"/>.</summary>
public static class Spectrogram
{
    /// <summary>The power spectrogram <c>[frequencies, frames]</c> (float64) of amplitudes <paramref name="audio"/> <c>[T]</c>.</summary>
    public static Tensor Power(Tensor audio, int fftSize = 256, int hop = 64)
    {
        using var scope = NewDisposeScope();
        Tensor x = audio.to(float64).flatten();
        if (x.size(0) < fftSize) x = nn.functional.pad(x, [0, fftSize - x.size(0)]);
        Tensor window = hann_window(fftSize, dtype: float64);
        Tensor spectrum = stft(x, fftSize, hop, fftSize, window, center: false, return_complex: true);
        return spectrum.abs().square().MoveToOuterDisposeScope();
    }

    /// <summary>The power spectrogram in decibels, <c>10 log10(P + ε)</c>.</summary>
    public static Tensor Decibels(Tensor audio, int fftSize = 256, int hop = 64)
    {
        using var scope = NewDisposeScope();
        return (Power(audio, fftSize, hop) + 1e-10).log10().mul(10).MoveToOuterDisposeScope();
    }

    /// <summary>The <see cref="AudioSummary"/> of amplitudes <paramref name="audio"/> <c>[T]</c> at <paramref name="sampleRate"/>.</summary>
    public static AudioSummary Summarize(Tensor audio, int sampleRate)
    {
        using var scope = NewDisposeScope();
        Tensor x = audio.to(float64).flatten();
        Tensor power = Power(x) + 1e-12;                                            // [F, N]
        Tensor frameDb = power.mean([0]).log10().mul(10);                             // [N]
        Tensor loud = frameDb > frameDb.max() - 40;
        Tensor flatness = power.log().mean([0]).exp() / power.mean([0]);                // geometric / arithmetic mean, per frame
        double flat = flatness.masked_select(loud).mean().item<double>();
        Tensor above = (frameDb - (frameDb.max() - 60)).clamp_min(0);
        double variation = (above.std() / above.mean().clamp_min(1e-9)).item<double>();
        return new AudioSummary(x.size(0) / (double)sampleRate, x.square().mean().sqrt().item<double>(), flat,
            1 - loud.to(float64).mean().item<double>(), variation);
    }
}
