using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Runs;
using Tractable.Data;
using Tractable.Evaluation;
using Tractable.IO;
using Tractable.Models;
using Tractable.Runs;

namespace Tractable.Cli.Commands;

/// <summary><c>tractable eval</c>: the NLL (and bits/dim, gap to the true NLL) of a trained run on a split.</summary>
public sealed class EvalCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "eval";

    /// <inheritdoc />
    public string Summary => "Evaluate a trained run on a split; writes metrics.json to --out (default: the run folder).";

    /// <inheritdoc />
    public string[] Examples => ["tractable eval --run runs/8g --split test", "tractable eval --run runs/wine --data csv:other.csv"];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folder written by train"),
        new("data", "dataset (default: the run's)"),
        new("data-dir", "folder that file-based datasets are read from (default: the run's)"),
        new("split", "train, validation or test", "test"),
        new("out", "folder for metrics.json (default: the run folder)"),
        new("eval-limit", "score only the first N examples of a validation or test split (default: the run's, else all)"),
        .. CommonOptions.Runtime,
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string runDir = args.Require("run");
        RunSpec spec = CommonOptions.ReadSpec(runDir);
        string dataName = args.Get("data") ?? spec.Data;
        spec = spec with
        {
            Data = dataName, DataDir = args.Get("data-dir") ?? spec.DataDir, Device = args.Get("device") ?? spec.Device,
            HeldOutLimit = args.GetInt("eval-limit") ?? spec.HeldOutLimit,
            // Another image folder is resized as the run's was; other data has no size to set.
            ImageSize = dataName.StartsWith(Tractable.Data.Images.ImageFolder.Prefix, StringComparison.OrdinalIgnoreCase) ? spec.ImageSize : null,
        };
        var device = RunSetup.ParseDevice(spec.Device);
        SplitName split = EnumNames.Parse<SplitName>(args.Require("split"), "split");
        string outDir = CommonOptions.OutputFolder("out", args.Get("out") ?? runDir)!;
        RunData data = RunSetup.LoadData(spec);
        DensityModel model = ModelStore.Load(runDir, device);
        // Shown once the model has loaded too, so that a damaged run folder gets its one line of error alone.
        if (data.Description is string description) AnsiConsole.MarkupLine(Markup.Escape(description));
        RunMetrics metrics = RunEvaluation.Evaluate(model, data, split, device, RunSetup.ReadTraining(runDir));
        if (Distributed.ProcessGroup.Current.IsRoot) JsonFiles.Write(Path.Combine(outDir, RunSetup.MetricsFile), metrics); // Distributed hook
        RunReport.Print(metrics);
        AnsiConsole.MarkupLine($"Metrics: [bold]{Markup.Escape(Path.GetFullPath(Path.Combine(outDir, RunSetup.MetricsFile)))}[/]");
        return 0;
    }

}
