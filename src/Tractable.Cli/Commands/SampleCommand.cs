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
    public string Summary => "Draw samples from a trained run; --out FILE.csv writes the values, FILE.png a picture.";

    /// <inheritdoc />
    public string[] Examples => ["tractable sample --run runs/8g -n 2000 --seed 1 --out samples.png", "tractable sample --run runs/wine -n 100 --out wine.csv"];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folder written by train"),
        new("n", "number of samples", "1000", Alias: "n"),
        new("seed", "sampling seed", "0"),
        new("temperature", "scale of the base noise", "1.0"),
        new("out", "output file: .csv or .png"),
        new("class", "class-conditional models: draw only this class (default: one row per class)"),
        new("fast", "autoregressive image models: cached fast sampling (true) or one full pass per pixel (false)", "true"),
        new("device", "cpu or cuda (default: the run's)"),
        new("threads", "CPU threads (default: all cores)"),
        new("config", "JSON file with any of these options"),
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string runDir = args.Require("run");
        string outPath = args.Require("out");
        string extension = Path.GetExtension(outPath).ToLowerInvariant();
        if (extension is not (".csv" or ".png")) throw new UsageException($"--out must end in .csv or .png, got '{outPath}'.");
        int n = args.GetInt("n")!.Value;
        if (n < 1) throw new UsageException("-n must be at least 1.");
        RunSpec spec = RunSetup.ReadSpec(runDir);
        var device = RunSetup.ParseDevice(args.Get("device") ?? spec.Device);
        DensityModel model = ModelStore.Load(runDir, device);

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
        Tensor? data = RunSetup.LoadData(spec).Data?.Test.X;
        Plots2D.Scatter(samples, data, Plots2D.BoundsOf(data ?? samples), path);
    }
}
