using System.Globalization;
using System.Text;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Plotting;
using Tractable.Cli.Runs;
using Tractable.Models;
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
    public string[] Examples =>
    [
        "tractable sample --run runs/8g -n 2000 --seed 1 --out samples.png", "tractable sample --run runs/wine -n 100 --out wine.csv",
        "tractable sample --run runs/cmaf -n 100 --out digits.png", "tractable sample --run runs/cmaf -n 16 --class 7 --out sevens.png",
    ];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folder written by train"),
        new("n", "number of samples", "1000", Alias: "n"),
        new("seed", "sampling seed", "0"),
        new("temperature", "scale of the base noise", "1.0"),
        new("class", "class-conditional models: draw only class K (default: one row per class)"),
        new("out", "output file: .csv or .png"),
        .. CommonOptions.Runtime,
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

        (Tensor? labels, int perRow) = Labels(model, n, args.GetInt("class"), device);
        if (labels is not null) n = (int)labels.shape[0];
        Tensor samples;
        using (no_grad())
        using (var g = new Generator((ulong)args.GetLong("seed")!.Value, device))
            samples = model.Sample(n, labels is null ? null : model.ContextFromLabels(labels), g, args.GetDouble("temperature")!.Value).cpu();

        if (extension == ".csv") WriteCsv(samples, outPath);
        else WritePicture(samples, spec, outPath, perRow);
        AnsiConsole.MarkupLine($"Wrote {n} samples to [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
        return 0;
    }

    /// <summary>
    /// For a class-conditional model, the labels to draw: all <paramref name="onlyClass"/>, or <c>⌈n / classes⌉</c> of
    /// each class in order (one picture row per class); null for a model that ignores labels.
    /// </summary>
    private static (Tensor? Labels, int PerRow) Labels(DensityModel model, int n, int? onlyClass, Device device)
    {
        int square = (int)Math.Ceiling(Math.Sqrt(n));
        using Tensor probe = zeros(1, int64, device);
        using Tensor? oneHot = model.ContextFromLabels(probe);
        if (oneHot is null)
        {
            if (onlyClass is not null) throw new UsageException("--class: this model is not class-conditional.");
            return (null, square);
        }
        int classes = (int)oneHot.shape[1];
        if (onlyClass is int k)
        {
            if (k < 0 || k >= classes) throw new UsageException($"--class must be in 0..{classes - 1}, got {k}.");
            return (full(n, k, int64, device), square);
        }
        int perClass = (n + classes - 1) / classes;
        return (arange(classes, int64, device).repeat_interleave(perClass), perClass);
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
            Png.SaveGrid(samples / (levels - 1), path, perRow);
            return;
        }
        if (samples.dim() != 2 || samples.shape[1] != 2)
            throw new UsageException($"A PNG of samples needs 2D data or images; this model's samples have shape [{string.Join(", ", samples.shape)}]. Use --out FILE.csv.");
        Tensor? data = RunSetup.LoadData(spec).Data?.Test.X;
        Plots2D.Scatter(samples, data, Plots2D.BoundsOf(data ?? samples), path);
    }
}
