using System.Globalization;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Runs;
using Tractable.Data;
using Tractable.Evaluation;
using Tractable.IO;
using Tractable.Models;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Cli.Commands;

/// <summary><c>tractable train</c>: fits a model to a dataset (maximum likelihood) or an energy (reverse KL).</summary>
public sealed class TrainCommand : ICommand
{
    private static readonly TrainerOptions Defaults = new();

    /// <summary>Options shared by every command that trains.</summary>
    public static readonly OptionSpec[] TrainingOptions =
    [
        new("steps", "optimizer steps", Defaults.Steps.ToString()),
        new("batch-size", "examples per step", Defaults.BatchSize.ToString()),
        new("lr", "peak learning rate (Adam)", Defaults.LearningRate.ToString()),
        new("warmup", "linear warm-up steps", Defaults.WarmupSteps.ToString()),
        new("schedule", "cosine or constant", Defaults.Schedule.ToString().ToLowerInvariant()),
        new("clip", "gradient-norm clipping (0: off)", Defaults.ClipGradNorm.ToString()),
        new("weight-decay", "decoupled weight decay", "0"),
        new("min-lr-factor", "cosine schedule: final learning rate as a fraction of the peak", Defaults.MinLearningRateFactor.ToString(CultureInfo.InvariantCulture)),
        new("ema", "Polyak averaging of the weights (e.g. 0.999); validation, the saved model and eval use the average (0: off)", "0"),
        new("eval-every", "validate every N steps", Defaults.EvalEvery.ToString()),
        new("patience", "stop after N validations without improvement (0: never)", "0"),
        new("max-minutes", "stop after this much training time, with a checkpoint (0: no limit)", "0"),
        new("checkpoint-every", "save a resumable checkpoint every N steps", Defaults.CheckpointEvery.ToString()),
        new("seed", "seed of initialization and minibatches", "0"),
        .. CommonOptions.Runtime,
    ];

    /// <inheritdoc />
    public string Name => "train";

    /// <inheritdoc />
    public string Summary => "Train a model; writes the model, run.json, metrics.csv, metrics.json and a checkpoint to --out.";

    /// <inheritdoc />
    public string[] Examples =>
    [
        "tractable train --model realnvp --data 8gaussians --out runs/8g",
        "tractable train --model planar --data u2 --layers 32 --steps 10000 --out runs/u2",
        "tractable train --model nice --data csv:../shared/data/tabular/wine_data.csv --out runs/wine",
        "tractable train --model wavenet --data speech:../shared/data/speech/en_US_f_Allison --batch-size 4 --threads 1 --out runs/wavenet",
        "tractable train --model maf --data 8gaussians --out runs/maf-8g",
        "tractable train --model maf --data mnist --conditional true --hidden 1024 --hidden-layers 1 --out runs/cmaf",
        "tractable train --out runs/8g --resume --steps 20000",
    ];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("model", $"model: {string.Join(", ", ModelCatalog.Names)}"),
        new("data", $"dataset: {string.Join(", ", DatasetCatalog.Names)}"),
        new("out", "run folder to write"),
        new("resume", "continue the run in --out from its checkpoint (with a new --steps or --max-minutes)", IsFlag: true),
        new("overwrite", "replace an existing run in --out", IsFlag: true),
        new("data-dir", "folder that file-based datasets are read from"),
        new("data-seed", "seed of synthetic data and table splits", "0"),
        new("layers", "flow layers (couplings, planar/radial layers); wavenet: stacks of dilations 1..512"),
        new("hidden", "hidden units per layer; wavenet: residual channels (skip = 2x)"),
        new("hidden-layers", "hidden layers per network"),
        new("batch-norm", "batch-normalization bijectors (realnvp, maf, maf-mog)"),
        new("conditional", "condition on the class labels of labelled data (made, maf, iaf, glow, ...)"),
        new("components", "Gaussians per conditional (made-mog, maf-mog)"),
        new("activation", "hidden non-linearity of fully connected networks: relu, tanh, elu, gelu, silu"),
        new("order", "autoregressive order of the first layer: natural or random"),
        new("dropout", "dropout probability (pixelcnn++)"),
        new("standardize", "standardize data inside the model (default: on for tables)"),
        new("crop", "audio: samples per training crop (wavenet)", "4096"),
        new("anneal-steps", "reverse KL: anneal the target over N steps", "0"),
        .. TrainingOptions,
    ];

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string outDir = args.Require("out");
        bool resume = args.GetBool("resume") ?? false;
        RunSpec spec;
        if (resume)
        {
            spec = RunSetup.ReadSpec(outDir);
            // A resumed run keeps its recorded options; only its length (steps, training time) may change.
            if (args.GetInt("steps") is int steps && args.Has("steps")) spec = spec with { Trainer = spec.Trainer with { Steps = steps } };
            if (args.Has("max-minutes") && args.GetDouble("max-minutes") is double minutes) spec = spec with { Trainer = spec.Trainer with { MaxMinutes = minutes } };
        }
        else
        {
            spec = new RunSpec
            {
                Model = args.Require("model"), Data = args.Require("data"), DataDir = args.Get("data-dir"),
                DataSeed = args.GetLong("data-seed") ?? 0, Device = args.Get("device") ?? "cpu",
                Standardize = args.GetBool("standardize"), AnnealSteps = args.GetInt("anneal-steps") ?? 0,
                Crop = args.GetInt("crop") ?? 4096,
                Architecture = new ArchitectureOptions
                {
                    Layers = args.GetInt("layers"), HiddenFeatures = args.GetInt("hidden"),
                    HiddenLayers = args.GetInt("hidden-layers"), BatchNorm = args.GetBool("batch-norm"),
                    Conditional = args.GetBool("conditional"), Dropout = args.GetDouble("dropout"),
                    Components = args.GetInt("components"), Order = args.Get("order"),
                    Activation = args.Get("activation"),
                },
                Trainer = ReadTrainerOptions(args),
            };
            if (RunSetup.IsRunFolder(outDir) && !(args.GetBool("overwrite") ?? false))
                throw new UsageException($"'{outDir}' already holds a run: pass --resume to continue it or --overwrite to replace it.");
        }
        (_, _, _, RunMetrics metrics) = Execute(spec, outDir, resume, cancellation);
        RunReport.Print(metrics);
        AnsiConsole.MarkupLine($"Run folder: [bold]{Markup.Escape(Path.GetFullPath(outDir))}[/]");
        return 0;
    }

    /// <summary>Reads the shared optimization options.</summary>
    public static TrainerOptions ReadTrainerOptions(ParsedArguments args, TrainerOptions? defaults = null)
    {
        TrainerOptions d = defaults ?? new TrainerOptions();
        return new TrainerOptions
        {
            Steps = args.Has("steps") ? args.GetInt("steps")!.Value : d.Steps,
            BatchSize = args.Has("batch-size") ? args.GetInt("batch-size")!.Value : d.BatchSize,
            LearningRate = args.Has("lr") ? args.GetDouble("lr")!.Value : d.LearningRate,
            WarmupSteps = args.Has("warmup") ? args.GetInt("warmup")!.Value : d.WarmupSteps,
            Schedule = args.Get("schedule") is string schedule ? Enum.Parse<LearningRateScheduleKind>(schedule, ignoreCase: true) : d.Schedule,
            ClipGradNorm = args.Has("clip") ? args.GetDouble("clip")!.Value : d.ClipGradNorm,
            WeightDecay = args.GetDouble("weight-decay") ?? d.WeightDecay,
            MinLearningRateFactor = args.Has("min-lr-factor") ? args.GetDouble("min-lr-factor")!.Value : d.MinLearningRateFactor,
            AverageDecay = args.Has("ema") ? args.GetDouble("ema")!.Value : d.AverageDecay,
            EvalEvery = args.Has("eval-every") ? args.GetInt("eval-every")!.Value : d.EvalEvery,
            Patience = args.GetInt("patience") ?? d.Patience,
            MaxMinutes = args.GetDouble("max-minutes") ?? d.MaxMinutes,
            CheckpointEvery = args.Has("checkpoint-every") ? args.GetInt("checkpoint-every")!.Value : d.CheckpointEvery,
            Seed = args.GetLong("seed") ?? d.Seed,
        };
    }

    /// <summary>
    /// Trains the run described by <paramref name="spec"/> into <paramref name="outDir"/>, evaluates it on the test
    /// split and writes <c>metrics.json</c>. Everything that can be wrong with the inputs is checked before the
    /// folder is written.
    /// </summary>
    public static (DensityModel Model, RunData Data, TrainResult Result, RunMetrics Metrics) Execute(
        RunSpec spec, string outDir, bool resume, CancellationToken cancellation)
    {
        spec.Trainer.Validate();
        Device device = RunSetup.ParseDevice(spec.Device);
        RunData data = RunSetup.LoadData(spec);
        ModelConfig config = RunSetup.CreateConfig(spec, data);
        if (config is WaveNetConfig w)
            AnsiConsole.MarkupLine($"WaveNet: {w.Dilations().Length} layers (dilations 1..{w.MaxDilation} x {w.Stacks}), receptive field {w.ReceptiveField} samples = {1000.0 * w.ReceptiveField / w.SampleRate:F0} ms");

        manual_seed(spec.Trainer.Seed);
        DensityModel model = config.Build();
        model.to(device);
        ITrainingObjective objective = RunSetup.CreateObjective(spec, data, device);

        if (!resume && Directory.Exists(outDir)) RunSetup.ClearRun(outDir);
        Directory.CreateDirectory(outDir);
        RunSetup.WriteSpec(outDir, spec);

        int startStep = resume ? new CheckpointStore(outDir).SavedStep() : 0;
        TrainResult result = TrainingDisplay.Run($"{config.Name} on {data.Name}", startStep, spec.Trainer.Steps,
            progress => new Trainer(spec.Trainer, outDir) { OnProgress = progress }.Fit(model, objective, device, resume, cancellation));
        if (result.Cancelled) AnsiConsole.MarkupLine($"[yellow]Stopped at step {result.Steps}; continue with --resume.[/]");

        RunMetrics metrics = RunEvaluation.Evaluate(model, data, "test", device, result, spec.Device);
        JsonFiles.Write(Path.Combine(outDir, "metrics.json"), metrics);
        return (model, data, result, metrics);
    }
}
