using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Data;
using Tractable.IO;
using Tractable.Models;
using Tractable.Runs;

namespace Tractable.Cli.Commands;

/// <summary>
/// <c>tractable export</c>: a run's weights as a PyTorch state dict (<c>.pt</c>), optionally with a reference batch of
/// test examples and their log-probabilities for checking a PyTorch port (docs/pytorch.md).
/// </summary>
public sealed class ExportCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "export";

    /// <inheritdoc />
    public string Summary => "Write a run's weights as a PyTorch state dict (.pt) that torch.load reads (docs/pytorch.md).";

    /// <inheritdoc />
    public string[] Examples =>
    [
        "tractable export --run runs/glow --out glow.pt",
        "tractable export --run runs/8g --out 8g.pt --reference 8g-check.pt -n 256",
    ];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folder written by train"),
        new("out", "the .pt file to write"),
        new("reference", "also write a .pt of test examples with their log-probabilities (and dequantization noise), to check a port"),
        new("n", "examples in the reference batch", "64", Alias: "n"),
        new("seed", "seed of the reference batch's dequantization noise", "0"),
        new("threads", "CPU threads (default: all cores)"),
        new("config", "JSON file with any of these options"),
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string runDir = args.Require("run");
        string outPath = CommonOptions.OutputFile("out", RequirePt(args, "out"))!;
        string? reference = CommonOptions.OutputFile("reference", args.Has("reference") ? RequirePt(args, "reference") : null);
        DensityModel model = ModelStore.Load(runDir);
        RunEvaluation.EnsureFinite(model);
        Split? examples = null;
        if (reference is not null)
        {
            RunData data = RunSetup.LoadData(CommonOptions.ReadSpec(runDir));
            examples = (data as ExampleData)?.Splits.Test
                ?? throw new UsageException($"--reference needs a run on examples (vectors, tables or images); '{data.Name}' is {(data.Kind == DataKind.Energy ? "an energy" : "audio")}.");
        }
        PyTorchExchange.Export(model, outPath);
        AnsiConsole.MarkupLine($"Wrote {model.state_dict().Count} tensors ({model.ParameterCount:N0} parameters) of '{Markup.Escape(model.Config.Name)}' to [bold]{Markup.Escape(Path.GetFullPath(outPath))}[/]");
        if (reference is not null)
        {
            PyTorchExchange.WriteReference(model, examples!, args.GetInt("n")!.Value, reference, args.GetLong("seed")!.Value);
            AnsiConsole.MarkupLine($"Wrote the reference batch to [bold]{Markup.Escape(Path.GetFullPath(reference))}[/]");
        }
        return 0;
    }

    private static string RequirePt(ParsedArguments args, string name)
    {
        string path = args.Require(name);
        if (!path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--{name} must be a .pt (or .pth) file, got '{path}'.");
        return path;
    }
}
