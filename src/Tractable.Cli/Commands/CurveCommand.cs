using System.Globalization;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Plotting;
using Tractable.Cli.Runs;
using Tractable.Models;
using Tractable.Runs;

namespace Tractable.Cli.Commands;

/// <summary>
/// <c>tractable curve</c>: the learning curve of one or more runs (validation NLL against training time, from
/// <c>metrics.csv</c>) as a PNG; in bits/dim for discrete data.
/// </summary>
public sealed class CurveCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "curve";

    /// <inheritdoc />
    public string Summary => "Plot validation NLL (or bits/dim) against training time for one or more runs (PNG).";

    /// <inheritdoc />
    public string[] Examples => ["tractable curve --run runs/8g --out docs/8g-curve.png", "tractable curve --run runs/a,runs/b --x step --out cmp.png"];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folder(s), comma-separated"),
        new("out", "PNG file to write"),
        new("x", "seconds, minutes or step", "minutes"),
        new("units", "auto (bits/dim for discrete data), nats or bits", "auto"),
        new("title", "chart title"),
        new("config", "JSON file with any of these options"),
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string[] runs = args.Require("run").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string xAxis = args.Require("x");
        if (xAxis is not ("seconds" or "minutes" or "step")) throw new UsageException("--x must be seconds, minutes or step.");
        string units = args.Require("units");
        if (units is not ("auto" or "nats" or "bits")) throw new UsageException("--units must be auto, nats or bits.");

        string yLabel = "validation NLL (nats)";
        var chart = new List<(string, List<(double, double)>)>();
        foreach (string run in runs)
        {
            RunSpec spec = CommonOptions.ReadSpec(run);
            ModelConfig config = JsonFilesRead(run);
            // A sequence model's validation figure is already per audio sample.
            long dims = ModelRegistry.KindOf(config).OutputOf(config) == SampleOutput.Audio ? 1 : config.EventShape.Aggregate(1L, (a, b) => a * b);
            bool bits = units == "bits" || (units == "auto" && Tractable.Data.DatasetCatalog.IsDiscrete(spec.Data));
            if (bits) yLabel = "validation bits/dim";
            // Several runs: name each by its folder too, since two runs may share model and data.
            string name = runs.Length > 1 ? $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(run))}: {config.Name} on {spec.Data}" : $"{config.Name} on {spec.Data}";
            chart.Add((name, ReadCurve(Path.Combine(run, "metrics.csv"), xAxis, bits ? dims * Math.Log(2) : 1)));
        }
        var lineChart = new LineChart { Title = args.Get("title") ?? "Learning curve", XLabel = $"training {xAxis}", YLabel = yLabel };
        foreach (var (name, points) in chart) lineChart.Add(name, points);
        string outPath = args.Require("out");
        lineChart.Save(outPath);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
        return 0;
    }

    private static ModelConfig JsonFilesRead(string run) => Tractable.IO.JsonFiles.Read<ModelConfig>(Path.Combine(run, ModelStore.ConfigFile));

    /// <summary>The validation rows of a metrics.csv as (x, value / divisor).</summary>
    public static List<(double, double)> ReadCurve(string path, string xAxis, double divisor)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No training log: {path}", path);
        string[] lines = File.ReadAllLines(path);
        string[] header = lines[0].Split(',');
        int step = Array.IndexOf(header, "step"), val = Array.IndexOf(header, "val_loss"), secs = Array.IndexOf(header, "train_seconds");
        var points = new List<(double, double)>();
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            if (cells.Length <= val || cells[val].Length == 0) continue;
            double x = xAxis == "step" ? double.Parse(cells[step], CultureInfo.InvariantCulture)
                : double.Parse(cells[secs], CultureInfo.InvariantCulture) / (xAxis == "minutes" ? 60 : 1);
            points.Add((x, double.Parse(cells[val], CultureInfo.InvariantCulture) / divisor));
        }
        return points;
    }
}
