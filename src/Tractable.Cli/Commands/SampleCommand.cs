using System.Globalization;
using System.Text;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Plotting;
using Tractable.Cli.Runs;
using Tractable.Models;
using Tractable.Models.Pixel;
using Tractable.IO;
using static TorchSharp.torch;

namespace Tractable.Cli.Commands;

/// <summary><c>tractable sample</c>: draws from a trained run into a CSV file or a PNG picture.</summary>
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
        new("n", "number of samples", "1000", Alias: "n"),
        new("seed", "sampling seed", "0"),
        new("temperature", "scale of the base noise (wavenet: softmax temperature)", "1.0"),
        new("seconds", "audio: seconds to generate (wavenet)", "2"),
        new("fast", "wavenet and pixel models: cached fast generation (true) or one full pass per step (false)", "true"),
        new("spectrogram", "audio: also write the spectrogram of the first clip to this PNG"),
        new("out", "output file: .csv or .png"),
        new("class", "class-conditional models: draw only this class (default: one row per class)"),
        .. CommonOptions.Runtime,
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string runDir = args.Require("run");
        string outPath = args.Require("out");
        string extension = Path.GetExtension(outPath).ToLowerInvariant();
        if (extension is not (".csv" or ".png" or ".wav")) throw new UsageException($"--out must end in .csv, .png or .wav, got '{outPath}'.");
        int n = args.GetInt("n")!.Value;
        if (n < 1) throw new UsageException("-n must be at least 1.");
        RunSpec spec = RunSetup.ReadSpec(runDir);
        var device = RunSetup.ParseDevice(args.Get("device") ?? spec.Device);
        DensityModel model = ModelStore.Load(runDir, device);
        if (model is WaveNet wavenet) return SampleAudio(wavenet, args, args.Has("n") ? n : 1, outPath, device);
        if (extension == ".wav") throw new UsageException($"--out FILE.wav needs an audio model (wavenet), not '{model.Config.Name}'.");

        // Conditional models draw one row per class (n rounded up to full rows), or n samples of --class K.
        int classes = model is IClassConditional conditional ? conditional.NumClasses : 0;
        int? onlyClass = args.GetInt("class");
        if (onlyClass is not null && classes == 0) throw new UsageException("--class needs a class-conditional model (train it with --conditional true).");
        int perRow = classes > 0 && onlyClass is null ? (n + classes - 1) / classes : (int)Math.Ceiling(Math.Sqrt(n));
        Tensor? context = classes > 0 ? model.ContextFromLabels(ClassLabels.ForSampling(classes, n, perRow, onlyClass).to(device)) : null;
        if (context is not null) n = (int)context.shape[0];
        double temperature = args.GetDouble("temperature")!.Value;
        bool fast = args.GetBool("fast") ?? true;

        Tensor samples;
        using (no_grad())
        using (var g = new Generator((ulong)args.GetLong("seed")!.Value, device))
            samples = (model is PixelAutoregressiveModel pixels
                ? pixels.Sample(n, context, g, temperature, fast)
                : model.Sample(n, context, g, temperature)).cpu();

        if (extension == ".csv") WriteCsv(samples, outPath);
        else WritePicture(samples, spec, outPath, perRow);
        AnsiConsole.MarkupLine($"Wrote {n} samples to [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
        return 0;
    }

    private static int SampleAudio(WaveNet model, ParsedArguments args, int count, string outPath, Device device)
    {
        if (!outPath.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"A wavenet run generates audio: --out must end in .wav, got '{outPath}'.");
        double seconds = args.GetDouble("seconds")!.Value;
        if (!(seconds > 0)) throw new UsageException("--seconds must be positive.");
        bool fast = args.GetBool("fast")!.Value;
        AnsiConsole.WriteLine($"Receptive field {model.ReceptiveField} samples ({1000.0 * model.ReceptiveField / model.Settings.SampleRate:F0} ms)");
        using var g = new Generator((ulong)args.GetLong("seed")!.Value, device);
        AudioSampling.Generated result = AudioSampling.Generate(model, count, seconds, fast, g, args.GetDouble("temperature")!.Value);
        for (int i = 0; i < count; i++)
        {
            string path = count == 1 ? outPath : Path.ChangeExtension(outPath, null) + $"-{i + 1}.wav";
            AudioSampling.WriteWav(result.Levels, i, model.Settings.SampleRate, path);
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(path))}[/]");
        }
        if (args.Get("spectrogram") is { } png)
        {
            using var scope = NewDisposeScope();
            Tensor audio = Tractable.Data.Audio.MuLaw.Decode(result.Levels[0].cpu());
            SpectrogramCommand.Print(Path.GetFileName(outPath), Tractable.Data.Audio.Spectrogram.Summarize(audio, model.Settings.SampleRate));
            SpectrogramPlot.Save(audio, png);
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(png))}[/]");
        }
        return 0;
    }

    private static void WriteCsv(Tensor samples, string path)
    {
        float[] values = samples.flatten(1).to(float32).data<float>().ToArray();
        int d = (int)(values.Length / samples.shape[0]);
        var text = new StringBuilder();
        for (int r = 0; r < samples.shape[0]; r++)
            text.AppendLine(string.Join(",", Enumerable.Range(0, d).Select(c => values[r * d + c].ToString("G7", CultureInfo.InvariantCulture))));
        AtomicFile.Write(path, tmp => File.WriteAllText(tmp, text.ToString()));
    }

    private static void WritePicture(Tensor samples, RunSpec spec, string path, int perRow)
    {
        if (samples.dim() == 4)
        {
            // Images [N, C, H, W] with integer levels: scale to [0, 1] for the grid.
            int levels = RunSetup.LoadData(spec).Data?.Levels ?? 256;
            Png.SaveGrid(samples / (levels - 1), path, perRow: perRow);
            return;
        }
        if (samples.dim() != 2 || samples.shape[1] != 2)
            throw new UsageException($"A PNG of samples needs 2D data or images; this model's samples have shape [{string.Join(", ", samples.shape)}]. Use --out FILE.csv.");
        RunData source = RunSetup.LoadData(spec);
        Tensor? data = source.Data?.Test.X;
        // Energies are drawn in the [-4, 4]² window of Rezende & Mohamed's Figure 3; data sets around their data.
        var bounds = source.Energy is not null ? Tractable.Evaluation.Bounds2D.Square(4) : Plots2D.BoundsOf(data ?? samples);
        Plots2D.Scatter(samples, data, bounds, path);
    }
}
