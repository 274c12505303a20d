using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Tractable.Data.Audio;
using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Cli.Runs;

/// <summary>Generates audio from a <see cref="WaveNet"/> with a progress bar, reports the real-time factor and writes WAVs.</summary>
public static class AudioSampling
{
    /// <summary>The result of one generation: the levels <c>[B, T]</c>, the wall-clock seconds and the audio seconds.</summary>
    public sealed record Generated(Tensor Levels, double WallSeconds, double AudioSeconds)
    {
        /// <summary>Generation time over audio duration (below 1: faster than real time).</summary>
        public double RealTimeFactor => WallSeconds / AudioSeconds;
    }

    /// <summary>Generates <paramref name="count"/> clips of <paramref name="seconds"/> seconds, naive or fast.</summary>
    public static Generated Generate(WaveNet model, long count, double seconds, bool fast, Generator generator, double temperature)
    {
        long length = Math.Max(1, (long)Math.Round(seconds * model.Settings.SampleRate));
        string title = $"{(fast ? "fast" : "naive")} WaveNet generation, {length} samples";
        var clock = Stopwatch.StartNew();
        Tensor levels;
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            Tensor? result = null;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: length);
                    result = model.Generate(count, length, fast, generator, temperature, progress: done => task.Value = done);
                });
            levels = result!;
        }
        else
        {
            AnsiConsole.WriteLine(title);
            long step = Math.Max(1, length / 10), next = step;
            levels = model.Generate(count, length, fast, generator, temperature, progress: done =>
            {
                if (done < next && done != length) return;
                next += step;
                AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done}/{length} samples ({100.0 * done / length:F0}%), {clock.Elapsed.TotalSeconds:F1} s"));
            });
        }
        var generated = new Generated(levels, clock.Elapsed.TotalSeconds, length / (double)model.Settings.SampleRate);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Generated {count} x {generated.AudioSeconds:F2} s in {generated.WallSeconds:F1} s: real-time factor {generated.RealTimeFactor:F2} (generation time / audio time, {get_num_threads()} thread(s))"));
        return generated;
    }

    /// <summary>Writes clip <paramref name="index"/> of <paramref name="levels"/> as a 16-bit WAV at <paramref name="sampleRate"/>.</summary>
    public static void WriteWav(Tensor levels, int index, int sampleRate, string path) =>
        WavFile.Write(path, new WavAudio(MuLaw.DecodePcm(levels[index].cpu()), sampleRate));
}
