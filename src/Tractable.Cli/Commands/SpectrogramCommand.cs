using System.Globalization;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Plotting;
using Tractable.Data.Audio;
using static TorchSharp.torch;

namespace Tractable.Cli.Commands;

/// <summary>
/// <c>tractable spectrogram</c>: a WAV file's spectrogram as a PNG, with the figures that tell speech from silence
/// and from white noise (RMS, spectral flatness, silent fraction, energy-envelope variation).
/// </summary>
public sealed class SpectrogramCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "spectrogram";

    /// <inheritdoc />
    public string Summary => "Draw a WAV file's spectrogram (PNG) and print its loudness, spectral flatness and energy envelope figures.";

    /// <inheritdoc />
    public string[] Examples => ["tractable spectrogram --wav sample.wav --out sample.png"];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("wav", "WAV file (PCM 16-bit mono)"),
        new("out", "PNG file to write (optional)"),
        new("seconds", "only the first S seconds (optional)"),
        new("threads", "CPU threads (default: all cores)"),
        new("config", "JSON file with any of these options"),
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string wav = args.Require("wav");
        string? outPath = CommonOptions.OutputFile("out", args.Get("out"));
        WavAudio audio = WavFile.Read(wav);
        using var scope = NewDisposeScope();
        Tensor x = tensor(audio.Samples).to(float64);
        if (args.GetDouble("seconds") is double seconds)
            x = x.narrow(0, 0, Math.Min(x.shape[0], (long)(seconds * audio.SampleRate)));
        Print(Path.GetFileName(wav), Spectrogram.Summarize(x, audio.SampleRate));
        if (outPath is not null)
        {
            SpectrogramPlot.Save(x, audio.SampleRate, outPath, title: Path.GetFileName(wav));
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
        }
        return 0;
    }

    /// <summary>Prints the figures of <paramref name="s"/> on one line.</summary>
    public static void Print(string name, AudioSummary s) => AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: {s.Seconds:F2} s, RMS {s.Rms:F4}, spectral flatness {s.SpectralFlatness:F3} (white noise ~0.56), silent frames {s.SilentFraction:P0}, envelope variation {s.EnvelopeVariation:F2}"));
}
