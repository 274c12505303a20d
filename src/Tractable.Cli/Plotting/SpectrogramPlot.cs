using Tractable.Data.Audio;
using static TorchSharp.torch;

namespace Tractable.Cli.Plotting;

/// <summary>A spectrogram as a PNG: time in seconds left to right, frequency in Hz bottom to top, the top 80 dB in viridis with a colour bar.</summary>
public static class SpectrogramPlot
{
    /// <summary>Saves the spectrogram of amplitudes <paramref name="audio"/> <c>[T]</c> sampled at <paramref name="sampleRate"/> to <paramref name="path"/>.</summary>
    public static void Save(Tensor audio, int sampleRate, string path, string title = "Spectrogram", double dynamicRangeDb = 80)
    {
        double[,] db;
        using (NewDisposeScope())
        {
            Tensor power = Spectrogram.Decibels(audio).flip(0).cpu();                 // [F, N], highest frequency first
            db = new double[power.shape[0], power.shape[1]];
            double[] values = power.contiguous().data<double>().ToArray();
            Buffer.BlockCopy(values, 0, db, 0, values.Length * sizeof(double));
        }
        double top = db.Cast<double>().Max();
        double seconds = audio.shape[0] / (double)sampleRate;
        var plot = Charts.Create(title, "time (s)", "frequency (Hz)");
        var heatmap = plot.Add.Heatmap(db);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(top - dynamicRangeDb, top);
        heatmap.Extent = new ScottPlot.CoordinateRect(0, seconds, 0, sampleRate / 2.0);
        plot.Add.ColorBar(heatmap).Label = "power (dB)";
        plot.Axes.SetLimits(0, seconds, 0, sampleRate / 2.0);
        Charts.Save(plot, path, width: Math.Clamp((int)(seconds * 400) + 200, 600, 1800), height: 480);
    }
}
