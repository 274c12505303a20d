using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.IO;
using Tractable.Models;
using Tractable.Runs;

namespace Tractable.Cli.Commands;

/// <summary>
/// <c>tractable import</c>: weights from a PyTorch state dict (<c>.pt</c>) into the model described by a run's
/// <c>model.json</c>; the run (or a copy of its description in <c>--out</c>) can then be evaluated and sampled.
/// </summary>
public sealed class ImportCommand : ICommand
{
    /// <inheritdoc />
    public string Name => "import";

    /// <inheritdoc />
    public string Summary => "Load a PyTorch state dict (.pt) into a run's model; writes model.bin to --out (default: the run).";

    /// <inheritdoc />
    public string[] Examples => ["tractable import --run runs/glow --from glow-finetuned.pt --out runs/glow-finetuned"];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("run", "run folder whose model.json describes the model"),
        new("from", "the .pt state dict to load (torch.save(module.state_dict(), path))"),
        new("out", "run folder to write model.json, model.bin and run.json to (default: --run, replacing model.bin; its checkpoint is left as it was)"),
        new("threads", "CPU threads (default: all cores)"),
        new("config", "JSON file with any of these options"),
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string runDir = args.Require("run");
        string from = args.Require("from");
        string outDir = CommonOptions.OutputFolder("out", args.Get("out") ?? runDir)!;
        string configPath = Path.Combine(runDir, ModelStore.ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"'{runDir}' has no {ModelStore.ConfigFile} describing the model.", configPath);
        ModelConfig config = JsonFiles.Read<ModelConfig>(configPath);
        DensityModel model = PyTorchExchange.Import(config, from);
        RunEvaluation.EnsureFinite(model);
        ModelStore.Save(model, outDir);
        string spec = Path.Combine(runDir, RunSetup.SpecFile);
        if (File.Exists(spec) && Path.GetFullPath(outDir) != Path.GetFullPath(runDir))
            File.Copy(spec, Path.Combine(outDir, RunSetup.SpecFile), overwrite: true);
        AnsiConsole.MarkupLine($"Loaded {model.state_dict().Count} tensors ({model.ParameterCount:N0} parameters) into '{Markup.Escape(config.Name)}'; " +
                               $"wrote [bold]{Markup.Escape(Path.GetFullPath(outDir))}[/] (tractable eval --run {Markup.Escape(outDir)})");
        return 0;
    }
}
