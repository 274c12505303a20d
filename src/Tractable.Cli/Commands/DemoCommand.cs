using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Plotting;
using Tractable.Cli.Runs;
using Tractable.Runs;
using Tractable.Models;
using Tractable.Training;

namespace Tractable.Cli.Commands;

/// <summary>
/// <c>tractable demo</c>: RealNVP on two moons in well under a minute, with a density heat map, samples over the
/// data, and <c>metrics.json</c>. Nothing to download: the data is generated.
/// </summary>
public sealed class DemoCommand : ICommand
{
    /// <summary>The demo's training settings: sized to finish in well under a minute on 2 cores.</summary>
    public static readonly TrainerOptions DemoTraining = new()
    {
        Steps = 2000, BatchSize = 256, LearningRate = 2e-3, WarmupSteps = 100, EvalEvery = 500, CheckpointEvery = 1000,
    };

    /// <inheritdoc />
    public string Name => "demo";

    /// <inheritdoc />
    public string Summary => "Train RealNVP on two moons; writes density.png, samples.png and metrics.json.";

    /// <inheritdoc />
    public string[] Examples => ["tractable demo", "tractable demo --out runs/my-demo --steps 4000"];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("out", "run folder to write", "runs/demo"),
        new("data", "a 2D dataset", "moons"),
        .. TrainCommand.TrainingOptions,
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string outDir = CommonOptions.OutputFolder("out", args.Require("out"))!;
        var spec = new RunSpec
        {
            Model = "realnvp", Data = args.Require("data"), Device = args.Get("device") ?? "cpu",
            ModelOptions = new() { ["layers"] = "6", ["hidden"] = "64" },
            Trainer = TrainCommand.ReadTrainerOptions(args, DemoTraining),
        };
        if (RunSetup.LoadData(spec) is not ExampleData { Shape.Features: 2 } data)
            throw new UsageException("The demo draws 2D pictures: choose a 2D dataset.");
        var (run, _, metrics) = TrainCommand.Execute(spec, outDir, resume: false, data, cancellation);
        var model = run.Model!;

        var test = data.Splits.Test.X;
        var bounds = Plots2D.BoundsOf(test);
        string density = Path.Combine(outDir, "density.png"), samples = Path.Combine(outDir, "samples.png");
        var device = RunSetup.ParseDevice(spec.Device);
        Plots2D.DensityHeatMap(x => model.LogProb(x), bounds, density, device: device);
        using (TorchSharp.torch.no_grad())
        using (var g = new TorchSharp.torch.Generator(1, device))
            Plots2D.Scatter(model.Sample(2000, generator: g).cpu(), test, bounds, samples);

        RunReport.Print(metrics);
        AnsiConsole.MarkupLine("Wrote:");
        foreach (string file in new[] { density, samples, Path.Combine(outDir, "metrics.json"), Path.Combine(outDir, ModelStore.WeightsFile) })
            AnsiConsole.MarkupLine($"  [bold]{Markup.Escape(Path.GetFullPath(file))}[/]");
        return 0;
    }
}
