using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Plotting;
using Tractable.IO;
using Tractable.Models;
using Tractable.Runs;

namespace Tractable.Cli.Commands;

/// <summary>
/// <c>tractable compare</c>: the final figures of several runs (their <c>metrics.json</c>) against one of their model
/// options, grouped by another, as a table and a PNG chart: for example a VAE's test −ELBO and importance-weighted NLL
/// against its number of flow steps, one line per posterior.
/// </summary>
public sealed class CompareCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "compare";

    /// <inheritdoc />
    public string Summary => "Tabulate and plot the test figures of several runs against a model option, one line per value of another (PNG).";

    /// <inheritdoc />
    public string[] Examples =>
    [
        "tractable compare --run runs/vae-sweep --x flow-steps --by posterior --metrics elbo_nats,nll_nats --out vae-sweep.png",
        "tractable compare --run runs/a,runs/b,runs/c --x layers --out layers.png",
    ];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folders, comma-separated, or one folder whose sub-folders are runs"),
        new("x", "the model option on the x axis (e.g. flow-steps, layers, hidden)"),
        new("by", "the model option whose values get a line each (e.g. posterior)"),
        new("metrics", "figures of metrics.json to show, comma-separated", "nll_nats"),
        new("out", "PNG file to write (optional: without it only the table is printed)"),
        new("title", "chart title"),
        new("config", "JSON file with any of these options"),
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string xOption = args.Require("x");
        string? outFile = CommonOptions.OutputFile("out", args.Get("out"));
        string? byOption = args.Get("by");
        string[] metrics = args.Require("metrics").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (metrics.Length == 0) throw new UsageException("--metrics names no figure.");
        var rows = RunFolders(args.Require("run")).Select(run => Read(run, xOption, byOption, metrics)).ToList();
        if (rows.Count == 0) throw new UsageException("--run names no finished run (a folder with metrics.json).");
        rows = rows.OrderBy(r => r.Group, StringComparer.Ordinal).ThenBy(r => r.X).ToList();

        var table = new Table().AddColumn("run");
        if (byOption is not null) table.AddColumn(byOption);
        table.AddColumn(xOption);
        foreach (string metric in metrics) table.AddColumn(metric);
        foreach (var row in rows)
        {
            var cells = new List<string> { Markup.Escape(row.Name) };
            if (byOption is not null) cells.Add(Markup.Escape(row.Group));
            cells.Add(row.X.ToString(CultureInfo.InvariantCulture));
            cells.AddRange(row.Figures.Select(f => f.Error > 0 ? $"{F(f.Value)} ± {F(f.Error)}" : F(f.Value)));
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);

        if (outFile is { } outPath)
        {
            var series = rows.GroupBy(r => r.Group).SelectMany(g => metrics.Select((metric, m) =>
                new SweepSeries(g.Key, metric, g.Select(r => (r.X, r.Figures[m].Value, r.Figures[m].Error)).ToList()))).ToList();
            SweepSeries.Save(series, outPath, args.Get("title") ?? $"{string.Join(", ", metrics)} against {xOption}", xOption,
                metrics.All(m => m.EndsWith("_nats", StringComparison.Ordinal)) ? "nats" : string.Join(", ", metrics));
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
        }
        return 0;
    }

    private static string F(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>The run folders <paramref name="spec"/> names: a comma list, or the finished runs inside one folder.</summary>
    private static IEnumerable<string> RunFolders(string spec)
    {
        string[] named = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (named.Length == 1 && !File.Exists(Path.Combine(named[0], RunSetup.MetricsFile)) && Directory.Exists(named[0]))
            return Directory.GetDirectories(named[0]).Where(d => File.Exists(Path.Combine(d, RunSetup.MetricsFile))).Order(StringComparer.Ordinal);
        return named;
    }

    private sealed record Row(string Name, string Group, double X, (double Value, double Error)[] Figures);

    private static Row Read(string run, string xOption, string? byOption, string[] metrics)
    {
        string metricsPath = Path.Combine(run, RunSetup.MetricsFile);
        if (!File.Exists(metricsPath)) throw new FileNotFoundException($"'{run}' has no {RunSetup.MetricsFile}: the run has not finished.", metricsPath);
        CommonOptions.ReadSpec(run);
        ModelConfig config = JsonFiles.Read<ModelConfig>(Path.Combine(run, ModelStore.ConfigFile));
        ModelKind kind = ModelRegistry.KindOf(config);
        double x = double.TryParse(OptionValue(kind, config, xOption, run), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value : throw new UsageException($"--x: the option '{xOption}' of {run} is not a number.");
        string group = byOption is null ? kind.Name : OptionValue(kind, config, byOption, run);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(metricsPath));
        var figures = metrics.Select(m => (Figure(document.RootElement, m, run), Error(document.RootElement, m))).ToArray();
        return new Row(Path.GetFileName(Path.TrimEndingDirectorySeparator(run)), group, x, figures);
    }

    /// <summary>The value of the model option <paramref name="name"/> in <paramref name="config"/>, as the CLI writes it.</summary>
    private static string OptionValue(ModelKind kind, ModelConfig config, string name, string run) =>
        kind.Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))?.DefaultText(config)
        ?? throw new UsageException($"'{name}' is not an option of {kind.Name} (the model of {run}); its options: {string.Join(", ", kind.Options.Select(o => o.Name))}.");

    private static double Figure(JsonElement metrics, string name, string run) =>
        metrics.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble()
            : throw new UsageException($"--metrics: {run}'s {RunSetup.MetricsFile} has no figure '{name}'.");

    /// <summary>The standard error beside a figure (<c>elbo_nats</c> → <c>elbo_stderr</c>), or 0 where there is none.</summary>
    private static double Error(JsonElement metrics, string name) =>
        name.EndsWith("_nats", StringComparison.Ordinal) && metrics.TryGetProperty(name[..^5] + "_stderr", out JsonElement e)
            && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : 0;
}
