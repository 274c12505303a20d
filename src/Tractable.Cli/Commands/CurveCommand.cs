using System.Globalization;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Plotting;
using Tractable.IO;
using Tractable.Models;
using Tractable.Runs;

namespace Tractable.Cli.Commands;

/// <summary>
/// <c>tractable curve</c>: the learning curves of one or more runs from <c>metrics.csv</c> as a PNG: training loss and
/// validation on one chart, against training time or step, in the results' units (bits/dim for images, bits per
/// sample for audio, nats otherwise).
/// </summary>
public sealed class CurveCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "curve";

    /// <inheritdoc />
    public string Summary => "Plot training loss and validation NLL (bits/dim, bits/sample or nats) against training time for one or more runs (PNG).";

    /// <inheritdoc />
    public string[] Examples => ["tractable curve --run runs/8g --out docs/8g-curve.png", "tractable curve --run runs/a,runs/b --x step --out cmp.png"];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folder(s), comma-separated"),
        new("out", "PNG file to write"),
        new("x", "seconds, minutes or step", "minutes"),
        new("units", "auto (the results' units: bits/dim for images, bits/sample for audio, else nats), nats or bits", "auto"),
        new("title", "chart title"),
        new("config", "JSON file with any of these options"),
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string[] runs = args.Require("run").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string outPath = CommonOptions.OutputFile("out", args.Require("out"))!;
        string xAxis = args.Require("x");
        if (xAxis is not ("seconds" or "minutes" or "step")) throw new UsageException("--x must be seconds, minutes or step.");
        string units = args.Require("units");
        if (units is not ("auto" or "nats" or "bits")) throw new UsageException("--units must be auto, nats or bits.");

        var curves = new List<LearningCurve>();
        var shownUnits = new HashSet<string>();
        foreach (string run in runs)
        {
            RunSpec spec = CommonOptions.ReadSpec(run);
            ModelConfig config = JsonFiles.Read<ModelConfig>(Path.Combine(run, ModelStore.ConfigFile));
            LikelihoodScale scale = ScaleOf(config, units);
            shownUnits.Add(scale.Unit);
            // Several runs: name each by its folder too, since two runs may share model and data.
            string name = runs.Length > 1 ? $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(run))}: {config.Name} on {spec.Data}" : $"{config.Name} on {spec.Data}";
            (var training, var validation) = ReadCurve(Path.Combine(run, RunSetup.CurveFile), xAxis, scale);
            curves.Add(new LearningCurve(name, training, validation));
        }
        if (shownUnits.Count > 1)
            throw new UsageException($"These runs report in different units ({string.Join(", ", shownUnits)}); plot them separately or pass --units nats.");
        LearningCurve.Save(curves, outPath, args.Get("title") ?? "Learning curve", xAxis == "step" ? "training step" : $"training time ({xAxis})",
            $"negative log-likelihood ({shownUnits.Single()})");
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
        return 0;
    }

    /// <summary>The unit of <paramref name="config"/>'s figures for <c>--units</c>: the results' own, nats, or bits (per dimension, or per audio sample).</summary>
    private static LikelihoodScale ScaleOf(ModelConfig config, string units)
    {
        LikelihoodScale own = LikelihoodScale.Of(config);
        return units switch
        {
            "nats" => own == LikelihoodScale.BitsPerSample ? LikelihoodScale.Nats with { Unit = "nats/sample" } : LikelihoodScale.Nats,
            "bits" when own == LikelihoodScale.Nats => LikelihoodScale.BitsPerDim(config.EventShape.Aggregate(1L, (a, b) => a * b)),
            _ => own,
        };
    }

    /// <summary>The training-loss rows and the validation rows of a metrics.csv as (x, value in <paramref name="scale"/>).</summary>
    public static (List<(double, double)> Training, List<(double, double)> Validation) ReadCurve(string path, string xAxis, LikelihoodScale scale)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No training log: {path}", path);
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        int step = Array.IndexOf(header, "step"), loss = Array.IndexOf(header, "loss"), val = Array.IndexOf(header, "val_loss"), secs = Array.IndexOf(header, "train_seconds");
        var training = new List<(double, double)>();
        var validation = new List<(double, double)>();
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            double x = xAxis == "step" ? double.Parse(cells[step], CultureInfo.InvariantCulture)
                : double.Parse(cells[secs], CultureInfo.InvariantCulture) / (xAxis == "minutes" ? 60 : 1);
            if (cells.Length > loss && cells[loss].Length > 0) training.Add((x, scale.FromNats(double.Parse(cells[loss], CultureInfo.InvariantCulture))));
            if (cells.Length > val && cells[val].Length > 0) validation.Add((x, scale.FromNats(double.Parse(cells[val], CultureInfo.InvariantCulture))));
        }
        return (training, validation);
    }
}
