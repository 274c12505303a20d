using NAudio.Dsp;

namespace Tractable.Data.Audio;

/// <summary>
/// Band-limited sample-rate conversion: windowed-sinc interpolation (Smith, "Digital Audio Resampling", 2002) by
/// NAudio's port of the WDL resampler in its sinc mode, <see cref="FilterTaps"/> taps. Downsampling low-passes at
/// 0.97 of the new Nyquist frequency, so that nothing above it folds back into the band; the output is aligned with
/// the input (the filter's delay is compensated) and keeps its duration: <c>⌊N · to / from⌋</c> samples.
/// </summary>
/// <remarks>
/// NAudio's <c>WdlResamplingSampleProvider</c> sets the resampler to linear interpolation with IIR filters instead. The
/// sinc mode with 256 taps, measured from 48 to 16 kHz: an 8.5 kHz tone (above the new 8 kHz Nyquist frequency) comes
/// out at 3.6e-6 of its amplitude (0.19 with 64 taps), a 7.5 kHz tone 0.9 dB down, and sines within 2.4e-6 of the
/// ideal sine at the new rate (docs/wavenet.md).
/// </remarks>
public static class AudioResampler
{
    /// <summary>Length of the sinc filter in input samples.</summary>
    public const int FilterTaps = 256;

    /// <summary>
    /// <paramref name="samples"/> at <paramref name="fromRate"/> Hz converted to <paramref name="toRate"/> Hz
    /// (the same array when the rates are equal).
    /// </summary>
    public static float[] Resample(float[] samples, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        if (fromRate == toRate || samples.Length == 0) return samples;
        var output = new float[checked((int)((long)samples.Length * toRate / fromRate))];
        var resampler = new WdlResampler();
        resampler.SetMode(interp: true, filtercnt: 0, sinc: true, sinc_size: FilterTaps, sinc_interpsize: 32);
        resampler.SetFeedMode(wantInputDriven: true);
        resampler.SetRates(fromRate, toRate);
        int accepted = resampler.ResamplePrepare(samples.Length, 1, out Span<float> input);
        samples.AsSpan(0, accepted).CopyTo(input);
        int written = resampler.ResampleOut(output, accepted, output.Length, 1);
        // The last outputs need input beyond the end: feeding less than was asked for pads it with zeros (silence).
        for (int flush = 0; written < output.Length && flush < 4; flush++)
        {
            resampler.ResamplePrepare(FilterTaps, 1, out _);
            written += resampler.ResampleOut(output.AsSpan(written), 0, output.Length - written, 1);
        }
        if (accepted != samples.Length || written != output.Length)
            throw new InvalidOperationException($"The resampler took {accepted} of {samples.Length} samples and gave {written} of {output.Length}.");
        return output;
    }
}
