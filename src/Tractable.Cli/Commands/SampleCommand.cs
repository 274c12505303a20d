using System.Globalization;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Plotting;
using Tractable.Cli.Runs;
using Tractable.Data.Audio;
using Tractable.IO;
using Tractable.Models;
using Tractable.Runs;
using static TorchSharp.torch;

namespace Tractable.Cli.Commands;

/// <summary><c>tractable sample</c>: draws from a trained run into a CSV file, a PNG picture or WAV audio, as its kind says.</summary>
public sealed class SampleCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "sample";

    /// <inheritdoc />
    public string Summary => "Draw samples from a trained run; --out FILE.csv writes the values, FILE.png a picture, FILE.wav audio (wavenet).";

    /// <inheritdoc />
    public string[] Examples =>
    [
        "tractable sample --run runs/8g -n 2000 --seed 1 --out samples.png", "tractable sample --run runs/wine -n 100 --out wine.csv",
        "tractable sample --run runs/wavenet --seconds 2 --seed 1 --fast true --out babble.wav --spectrogram babble.png",
        "tractable sample --run runs/cmaf -n 100 --out digits.png", "tractable sample --run runs/cmaf -n 16 --class 7 --out sevens.png",
    ];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folder written by train"),
        new("n", "number of samples (audio: clips)", "1000", Alias: "n"),
        new("seed", "sampling seed", "0"),
        new("temperature", "scale of the base noise (autoregressive models: softmax temperature)", "1.0"),
        new("seconds", "audio models: seconds to generate", "2"),
        new("fast", "autoregressive image and audio models: cached fast generation (true) or one full pass per step (false)", "true"),
        new("spectrogram", "audio models: also write the spectrogram of the first clip to this PNG"),
        new("out", "output file: .csv or .png (.wav for audio models)"),
        new("class", "class-conditional models: draw only this class (default: one row per class)"),
        new("scale", "image models: screen pixels per image pixel in the PNG grid", "auto: images at least 96 pixels across"),
        new("reconstruct", "models with an encoder (vae): a grid of test images, each row followed by its reconstructions", IsFlag: true),
        .. CommonOptions.Runtime,
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string runDir = args.Require("run");
        string outPath = CommonOptions.OutputFile("out", args.Require("out"))!;
        string? spectrogram = CommonOptions.OutputFile("spectrogram", args.Get("spectrogram"));
        string extension = Path.GetExtension(outPath).ToLowerInvariant();
        if (extension is not (".csv" or ".png" or ".wav")) throw new UsageException($"--out must end in .csv, .png or .wav, got '{outPath}'.");
        RunSpec spec = CommonOptions.ReadSpec(runDir);
        Device device = RunSetup.ParseDevice(args.Get("device") ?? spec.Device);
        DensityModel model = ModelStore.Load(runDir, device);
        ModelKind kind = ModelRegistry.KindOf(model.Config);
        SampleOutput output = kind.OutputOf(model.Config);
        RefuseUnusedOptions(kind, output, args, extension);
        RunEvaluation.EnsureFinite(model);
        if (args.GetBool("reconstruct") ?? false) return WriteReconstructions(model, spec, args, device, outPath);

        var request = new SampleRequest
        {
            Count = args.GetLong("n") is long n && (args.Has("n") || output != SampleOutput.Audio) ? n : 1,
            Seed = args.GetLong("seed")!.Value, Temperature = args.GetDouble("temperature")!.Value,
            Fast = args.GetBool("fast") ?? true, Class = args.GetInt("class"), Seconds = args.GetDouble("seconds")!.Value,
        };
        request.Validate();
        if (output == SampleOutput.Audio)
        {
            WriteAudio(kind, model, request, device, outPath, spectrogram);
            return 0;
        }
        if (extension == ".csv")
        {
            long rows = WriteCsv(kind, model, request, device, outPath, spec.FeatureNames);
            AnsiConsole.MarkupLine($"Wrote {rows} samples of {Markup.Escape(kind.Name)} on {Markup.Escape(spec.Data)} to [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
            return 0;
        }
        long most = output == SampleOutput.Images ? MaxGridImages : MaxScatterPoints;
        if (request.Count > most)
            throw new UsageException($"-n {request.Count}: a picture shows at most {most} {(output == SampleOutput.Images ? "images" : "points")}; write that many samples to --out FILE.csv, which is written as they are drawn.");
        DrawnSamples samples = SamplingDisplay.Draw(kind, model, request, device);
        EnsureFinite(samples.Values);
        if (output == SampleOutput.Images)
            Png.SaveGrid(samples.Values / ((samples.Levels ?? 256) - 1), outPath, perRow: samples.PerRow, scale: CommonOptions.GridScale(args, samples.Values));
        else
            WriteScatter(samples.Values, spec, outPath);
        AnsiConsole.MarkupLine($"Wrote {samples.Values.shape[0]} samples of {Markup.Escape(kind.Name)} on {Markup.Escape(spec.Data)} to [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
        return 0;
    }

    /// <summary>The most images a PNG grid holds (64 × 64): pictures need all their samples in memory at once.</summary>
    public const int MaxGridImages = 4096;

    /// <summary>The most points a PNG scatter plot holds.</summary>
    public const int MaxScatterPoints = 1_000_000;

    /// <summary>Refuses samples that are not finite, before anything of them is written.</summary>
    private static void EnsureFinite(Tensor samples)
    {
        if (!samples.isfinite().all().item<bool>())
            throw new Tractable.Training.TrainingDivergedException("The samples are not finite (the temperature or the model's weights give NaN or infinite values); nothing was written.");
    }

    /// <summary>The first -n test images and their reconstructions, in alternating rows of a PNG grid.</summary>
    private static int WriteReconstructions(DensityModel model, RunSpec spec, ParsedArguments args, Device device, string outPath)
    {
        if (model is not IReconstructingModel coder)
            throw new UsageException($"--reconstruct needs a model with an encoder (vae), not '{spec.Model}'.");
        if (!outPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException("--reconstruct writes a picture: --out must end in .png.");
        var data = (ExampleData)RunSetup.LoadData(spec);
        long n = Math.Min(args.GetLong("n")!.Value, data.Splits.Test.Count);
        int perRow = (int)Math.Min(n, 10);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var generator = new Generator((ulong)args.GetLong("seed")!.Value, device);
        Tensor x = data.Splits.Test.X.narrow(0, 0, n).to(device);
        Tensor reconstructed = coder.Reconstruct(x, generator).cpu();
        // Rows of data, each followed by the row of its reconstructions.
        Tensor[] rows = Enumerable.Range(0, (int)((n + perRow - 1) / perRow)).SelectMany(r =>
        {
            long start = (long)r * perRow, count = Math.Min(perRow, n - start);
            return new[] { x.cpu().narrow(0, start, count), reconstructed.narrow(0, start, count) };
        }).ToArray();
        Png.SaveGrid(cat(rows, 0) / ((model.Config.DiscreteLevels ?? 256) - 1), outPath, perRow: perRow, scale: CommonOptions.GridScale(args, x));
        AnsiConsole.MarkupLine($"Wrote {n} test images and their reconstructions to [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
        return 0;
    }

    /// <summary>Refuses what this model cannot do: a file type of another output, and options of features it lacks.</summary>
    private static void RefuseUnusedOptions(ModelKind kind, SampleOutput output, ParsedArguments args, string extension)
    {
        if ((output == SampleOutput.Audio) != (extension == ".wav"))
            throw new UsageException(output == SampleOutput.Audio
                ? $"A '{kind.Name}' run generates audio: --out must end in .wav."
                : $"--out FILE.wav needs an audio model; '{kind.Name}' draws {(output == SampleOutput.Images ? "images" : "vectors")} (use .png or .csv).");
        var unused = new List<string>();
        if (!kind.Sampling.HasFlag(SamplingFeatures.Fast) && args.Has("fast")) unused.Add("fast");
        if (!kind.Sampling.HasFlag(SamplingFeatures.Duration))
            unused.AddRange(new[] { "seconds", "spectrogram" }.Where(args.Has));
        if (output != SampleOutput.Images && args.Has("scale")) unused.Add("scale");
        if (unused.Count > 0)
            throw new UsageException($"--{unused[0]} is not an option of '{kind.Name}' samples.");
    }

    /// <summary>Generates the clips batch by batch, writing each as it comes (<c>OUT-1.wav</c>, <c>OUT-2.wav</c>, … for several).</summary>
    private static void WriteAudio(ModelKind kind, DensityModel model, SampleRequest request, Device device, string outPath, string? spectrogram)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var written = new List<string>();
        Tensor? first = null;
        int rate = 0;
        long length = 0;
        SamplingDisplay.Stream(kind, model, request, device, (stream, clips) =>
        {
            rate = stream.SampleRate!.Value;
            length = clips.shape[1];
            for (int i = 0; i < clips.shape[0]; i++)
            {
                string path = stream.Count == 1 ? outPath : Path.ChangeExtension(outPath, null) + $"-{written.Count + 1}.wav";
                WavFile.Write(path, new WavAudio(MuLaw.DecodeSamples(clips[i]), rate));
                written.Add(path);
            }
            first ??= clips[0].clone().DetachFromDisposeScope();
        });
        double audioSeconds = length / (double)rate, seconds = clock.Elapsed.TotalSeconds;
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Generated {written.Count} x {audioSeconds:F2} s in {seconds:F1} s: real-time factor {seconds / written.Count / audioSeconds:F2} (generation time / audio time, {get_num_threads()} thread(s))"));
        foreach (string path in written.Count <= 10 ? written : [written[0], "…", written[^1]])
            AnsiConsole.MarkupLine(path == "…" ? "…" : $"Wrote [bold]{Markup.Escape(Path.GetFullPath(path))}[/]");
        if (spectrogram is null || first is null) return;
        using var scope = NewDisposeScope();
        using Tensor levels = first;
        Tensor audio = MuLaw.Decode(levels);
        SpectrogramCommand.Print(Path.GetFileName(outPath), Spectrogram.Summarize(audio, rate));
        SpectrogramPlot.Save(audio, rate, spectrogram, title: $"{Path.GetFileName(outPath)} (generated)");
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(spectrogram))}[/]");
    }

    /// <summary>
    /// Writes one row per sample, batch by batch as they are drawn, into a file beside <paramref name="path"/> that
    /// replaces it at the end: memory holds one batch, and a draw that fails (non-finite samples) writes nothing.
    /// </summary>
    private static long WriteCsv(ModelKind kind, DensityModel model, SampleRequest request, Device device, string path, IReadOnlyList<string>? names)
    {
        long rows = 0;
        AtomicFile.Write(path, tmp =>
        {
            using var writer = new StreamWriter(tmp);
            var csv = new Tractable.Data.CsvWriter(writer, names);
            SamplingDisplay.Stream(kind, model, request, device, (_, batch) =>
            {
                EnsureFinite(batch);
                csv.Write(batch);
            });
            rows = csv.Rows;
        });
        return rows;
    }

    private static void WriteScatter(Tensor samples, RunSpec spec, string path)
    {
        if (samples.dim() != 2 || samples.shape[1] != 2)
            throw new UsageException($"A PNG of samples needs 2D data or images; this model's samples have shape [{string.Join(", ", samples.shape)}]. Use --out FILE.csv.");
        RunData source = RunSetup.LoadData(spec);
        Tensor? data = (source as ExampleData)?.Splits.Test.X;
        // Energies are drawn in the [-4, 4]² window of Rezende & Mohamed's Figure 3; data sets around their data.
        var bounds = source is EnergyData ? Tractable.Evaluation.Bounds2D.Square(4) : Plots2D.BoundsOf(data ?? samples);
        Plots2D.Scatter(samples, data, bounds, path);
    }
}
