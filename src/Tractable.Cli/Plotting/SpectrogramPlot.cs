using Tractable.Data.Audio;
using static TorchSharp.torch;

namespace Tractable.Cli.Plotting;

/// <summary>Draws a spectrogram as a PNG: time left to right, frequency bottom to top, the top 80 dB in viridis.</summary>
public static class SpectrogramPlot
{
    /// <summary>Saves the spectrogram of amplitudes <paramref name="audio"/> <c>[T]</c> to <paramref name="path"/>.</summary>
    public static void Save(Tensor audio, string path, double dynamicRangeDb = 80)
    {
        using var scope = NewDisposeScope();
        Tensor db = Spectrogram.Decibels(audio);                                    // [F, N]
        double top = db.max().item<double>();
        Tensor scaled = ((db - (top - dynamicRangeDb)) / dynamicRangeDb).clamp(0, 1).flip(0);
        Tensor image = Colormap.Viridis(scaled);                                    // [3, F, N]
        // Stretch both axes 2x so a 256-point STFT (129 bins, 125 frames/s at 8 kHz) reads comfortably.
        image = image.repeat_interleave(2, dim: 1).repeat_interleave(2, dim: 2);
        Png.Save(image, path);
    }
}
