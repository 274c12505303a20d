using System.Globalization;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Runs;
using Tractable.Data;
using Tractable.Data.Images;
using Tractable.Evaluation;
using Tractable.IO;
using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Cli.Commands;

/// <summary>
/// <c>tractable train</c>: fits a model to a dataset (maximum likelihood) or an energy (reverse KL). The options of
/// the chosen model kind join the command's own; an option the model does not use is refused before anything is written.
/// </summary>
public sealed class TrainCommand : ICommand
{
    private static readonly TrainerOptions Defaults = new();

    /// <summary>Options shared by every command that trains.</summary>
    public static readonly OptionSpec[] TrainingOptions =
    [
        new("steps", "optimizer steps", Defaults.Steps.ToString()),
        new("batch-size", "examples per step", Defaults.BatchSize.ToString()),
        new("lr", "peak learning rate (Adam)", Defaults.LearningRate.ToString(CultureInfo.InvariantCulture)),
        new("warmup", "linear warm-up steps", Defaults.WarmupSteps.ToString()),
        new("schedule", "cosine or constant", EnumNames.NameOf(Defaults.Schedule)),
        new("clip", "gradient-norm clipping (0: off)", Defaults.ClipGradNorm.ToString(CultureInfo.InvariantCulture)),
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

    /// <summary>Options of the run itself, whatever the model.</summary>
    private static readonly OptionSpec[] RunOptions =
    [
        new("model", $"model: {string.Join(", ", ModelRegistry.Names)}"),
        new("data", $"dataset: {string.Join(", ", DatasetCatalog.Names)} (images: PNG/JPEG, optionally one folder per class; npy: uint8 images or a float table; idx: MNIST's file layout; docs/data.md)"),
        new("out", "run folder to write"),
        new("resume", "continue the run in --out from its checkpoint (with a new --steps or --max-minutes)", IsFlag: true),
        new("overwrite", "replace an existing run in --out", IsFlag: true),
        new("data-dir", "folder that file-based datasets are read from", CommonOptions.DefaultDataDirectory),
        new("data-seed", "seed of synthetic data and table splits", "0"),
        new("eval-limit", "validation and test figures on the first N examples of each split (default: all)"),
        new("image-size", "images:FOLDER: resize every image to N x N or WIDTHxHEIGHT pixels (default: the images must share one size)"),
        new("tensorboard", "also write TensorBoard event files here: loss, validation, learning rate, steps/s, samples at each validation"),
    ];

    /// <summary>Options that only models of one kind of data use.</summary>
    private static readonly (OptionSpec Spec, DataKind Kind)[] DataOptions =
    [
        (new OptionSpec("crop", "audio: samples per training crop"), DataKind.Sequences),
        (new OptionSpec("sample-rate", "audio: convert every file to this rate in Hz", "the rate most files have"), DataKind.Sequences),
        (new OptionSpec("columns", "CSV: feature columns, by header name or 1-based index, comma-separated (temp,humidity or 2,5-8)", "all but the label"), DataKind.Examples),
        (new OptionSpec("missing", "CSV: a missing value (empty, NA, NaN, ?, …) is an error, or drop its row: error or drop", "error"), DataKind.Examples),
        (new OptionSpec("anneal-steps", "reverse KL: anneal the target over N steps", "0"), DataKind.Energy),
    ];

    /// <summary>What a resumed run may change: its length, and how it runs.</summary>
    private static readonly string[] ResumeOptions = ["out", "resume", "steps", "max-minutes", "threads", "device", "config", "tensorboard"];

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
        "tractable train --model wavenet --data speech:../shared/data/speech/en_US_f_Allison --threads 1 --out runs/wavenet",
        "tractable train --model maf --data mnist --conditional true --hidden 1024 --hidden-layers 1 --out runs/cmaf",
        "tractable train --out runs/8g --resume --steps 20000",
        "tractable train --model glow --help        (glow's own options and training defaults)",
    ];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        .. RunOptions,
        .. DataOptions.Select(d => d.Spec),
        .. ModelRegistry.Kinds.SelectMany(k => k.Options).DistinctBy(o => o.Name).Select(o => new OptionSpec(o.Name, $"model option (see --model M --help)")),
        .. TrainingOptions,
    ];

    /// <inheritdoc />
    public IReadOnlyList<OptionSpec> HelpFor(IReadOnlyList<string> args)
    {
        string? model = ParsedArguments.Peek(args, "model");
        if (model is null) return [.. RunOptions, .. DataOptions.Select(d => d.Spec), .. TrainingOptions];
        ModelKind kind = ModelRegistry.Find(model);
        var defaults = kind.DefaultConfig(kind.TypicalData);
        TrainingDefaults training = kind.Defaults(kind.TypicalData);
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(kind.Name)}[/]: {Markup.Escape(kind.Summary)}\n");
        return
        [
            .. RunOptions.Where(o => o.Name != "model"),
            .. DataOptions.Where(d => kind.Accepts.HasFlag(d.Kind))
                .Select(d => d.Spec.Name == "crop" ? d.Spec with { Default = training.Crop.ToString(CultureInfo.InvariantCulture) } : d.Spec),
            .. kind.Options.Select(o => new OptionSpec(o.Name, o.Help + (o.Choices.Count > 0 ? $" ({string.Join(", ", o.Choices)})" : ""), o.DefaultText(defaults))),
            .. TrainingOptionsWith(training.Trainer),
        ];
    }

    /// <inheritdoc />
    public int Run(ParsedArguments args, CancellationToken cancellation)
    {
        string outDir = CommonOptions.OutputFolder("out", args.Require("out"))!;
        CommonOptions.OutputFolder("tensorboard", args.Get("tensorboard"));
        bool resume = args.GetBool("resume") ?? false;
        RunSpec spec;
        RunData? data = null;
        if (resume)
        {
            if (args.Given.FirstOrDefault(o => !ResumeOptions.Contains(o)) is string fixedOption)
                throw new UsageException($"--{fixedOption} cannot change a resumed run: it continues with its recorded settings; only --steps and --max-minutes may change.");
            spec = CommonOptions.ReadSpec(outDir);
            if (args.Has("steps")) spec = spec with { Trainer = spec.Trainer with { Steps = args.GetInt("steps")!.Value } };
            if (args.Has("max-minutes")) spec = spec with { Trainer = spec.Trainer with { MaxMinutes = args.GetDouble("max-minutes")!.Value } };
        }
        else
        {
            (ModelKind kind, RunSpec draft) = Draft(args);
            if (RunSetup.IsRunFolder(outDir) && !(args.GetBool("overwrite") ?? false))
                throw new UsageException($"'{outDir}' already holds a run: pass --resume to continue it or --overwrite to replace it.");
            data = RunSetup.LoadData(draft);
            TrainingDefaults defaults = kind.Defaults(data.Shape);
            spec = draft with { Trainer = ReadTrainerOptions(args, defaults.Trainer), Crop = draft.Crop ?? defaults.Crop };
        }
        (_, _, RunMetrics metrics) = Execute(spec, outDir, resume, data, cancellation, args.Get("tensorboard"));
        RunReport.Print(metrics);
        AnsiConsole.MarkupLine($"Run folder: [bold]{Markup.Escape(Path.GetFullPath(outDir))}[/]");
        return 0;
    }

    /// <summary>
    /// The kind and the run of a new training command line, before any data is read: the model's options are checked
    /// against its kind, and its trainer options are still the trainer's defaults.
    /// </summary>
    public static (ModelKind Kind, RunSpec Draft) Draft(ParsedArguments args)
    {
        ModelKind kind = ModelRegistry.Find(args.Require("model"));
        RefuseUnusedOptions(kind, args);
        string? imageSize = args.Get("image-size");
        return (kind, new RunSpec
        {
            Model = kind.Name, Data = args.Require("data"), DataDir = args.Get("data-dir") ?? CommonOptions.DefaultDataDirectory,
            DataSeed = args.GetLong("data-seed") ?? 0, Device = args.Get("device") ?? "cpu",
            ImageSize = imageSize is null ? null : ImageResolution.Parse(imageSize).ToString(),
            Crop = args.GetInt("crop"), HeldOutLimit = args.GetInt("eval-limit"), AnnealSteps = args.GetInt("anneal-steps") ?? 0, SampleRate = args.Has("sample-rate") ? args.GetInt("sample-rate") : null,
            Columns = args.Has("columns") ? args.Get("columns") : null, MissingValues = args.Has("missing") ? EnumNames.Parse<MissingValuePolicy>(args.Get("missing")!, "MissingValues") : null,
            ModelOptions = kind.Options.Where(o => args.Has(o.Name)).ToDictionary(o => o.Name, o => args.Get(o.Name)!),
        });
    }

    /// <summary>Reads the shared optimization options over <paramref name="defaults"/>.</summary>
    public static TrainerOptions ReadTrainerOptions(ParsedArguments args, TrainerOptions? defaults = null)
    {
        TrainerOptions d = defaults ?? new TrainerOptions();
        return d with
        {
            Steps = args.GetInt("steps") is int steps && args.Has("steps") ? steps : d.Steps,
            BatchSize = args.Has("batch-size") ? args.GetInt("batch-size")!.Value : d.BatchSize,
            LearningRate = args.Has("lr") ? args.GetDouble("lr")!.Value : d.LearningRate,
            WarmupSteps = args.Has("warmup") ? args.GetInt("warmup")!.Value : d.WarmupSteps,
            Schedule = args.Has("schedule") ? EnumNames.Parse<LearningRateScheduleKind>(args.Get("schedule")!, "schedule") : d.Schedule,
            ClipGradNorm = args.Has("clip") ? args.GetDouble("clip")!.Value : d.ClipGradNorm,
            WeightDecay = args.Has("weight-decay") ? args.GetDouble("weight-decay")!.Value : d.WeightDecay,
            MinLearningRateFactor = args.Has("min-lr-factor") ? args.GetDouble("min-lr-factor")!.Value : d.MinLearningRateFactor,
            AverageDecay = args.Has("ema") ? args.GetDouble("ema")!.Value : d.AverageDecay,
            EvalEvery = args.Has("eval-every") ? args.GetInt("eval-every")!.Value : d.EvalEvery,
            Patience = args.Has("patience") ? args.GetInt("patience")!.Value : d.Patience,
            MaxMinutes = args.Has("max-minutes") ? args.GetDouble("max-minutes")!.Value : d.MaxMinutes,
            CheckpointEvery = args.Has("checkpoint-every") ? args.GetInt("checkpoint-every")!.Value : d.CheckpointEvery,
            Seed = args.Has("seed") ? args.GetLong("seed")!.Value : d.Seed,
        };
    }

    /// <summary>
    /// Trains the run described by <paramref name="spec"/> into <paramref name="outDir"/> with a progress display,
    /// evaluates it on the test split and writes <c>metrics.json</c>. Everything that can be wrong with the inputs is
    /// checked before the folder is written. With <paramref name="tensorBoardDirectory"/>, training is also logged there for TensorBoard.
    /// </summary>
    public static (TrainingRun Run, TrainResult Result, RunMetrics Metrics) Execute(
        RunSpec spec, string outDir, bool resume, RunData? data, CancellationToken cancellation, string? tensorBoardDirectory = null)
    {
        TrainingRun run = TrainingRun.Prepare(spec, outDir, resume, data);
        try
        {
            run.Hold();
            if (run.Data.Description is string dataLine) AnsiConsole.MarkupLine(Markup.Escape(dataLine));
            if (run.Kind.Describe(run.Config) is string description) AnsiConsole.MarkupLine(Markup.Escape(description));
            TensorBoardLogger? tensorBoard = tensorBoardDirectory is null ? null : new TensorBoardLogger(tensorBoardDirectory);
            TrainResult result = TrainingDisplay.Run(run.Title, LikelihoodScale.Of(run.Config), run.StartStep, spec.Trainer.Steps, progress => run.Train(progress, cancellation, tensorBoard));
            if (result.Cancelled) AnsiConsole.MarkupLine($"[yellow]Stopped at step {result.Steps}; continue with --resume.[/]");
            return (run, result, run.Finish(result));
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>Refuses the options of other models and of other kinds of data, naming option and model.</summary>
    private static void RefuseUnusedOptions(ModelKind kind, ParsedArguments args)
    {
        var own = new HashSet<string>(kind.Options.Select(o => o.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var (spec, dataKind) in DataOptions)
            if (kind.Accepts.HasFlag(dataKind)) own.Add(spec.Name);
        var shared = new HashSet<string>(RunOptions.Concat(TrainingOptions).Select(o => o.Name), StringComparer.OrdinalIgnoreCase);
        if (args.Given.FirstOrDefault(o => !own.Contains(o) && !shared.Contains(o)) is string unused)
            throw new UsageException($"--{unused} is not an option of model '{kind.Name}'; its own options are: " +
                                     $"{(own.Count == 0 ? "none" : string.Join(", ", own.Select(o => "--" + o)))} (tractable train --model {kind.Name} --help).");
    }

    /// <summary>The training options with <paramref name="defaults"/> shown as their defaults.</summary>
    private static IEnumerable<OptionSpec> TrainingOptionsWith(TrainerOptions defaults)
    {
        string Text(IFormattable v) => v.ToString(null, CultureInfo.InvariantCulture);
        var shown = new Dictionary<string, string>
        {
            ["steps"] = Text(defaults.Steps), ["batch-size"] = Text(defaults.BatchSize), ["lr"] = Text(defaults.LearningRate),
            ["warmup"] = Text(defaults.WarmupSteps), ["schedule"] = EnumNames.NameOf(defaults.Schedule), ["clip"] = Text(defaults.ClipGradNorm),
            ["ema"] = Text(defaults.AverageDecay), ["eval-every"] = Text(defaults.EvalEvery), ["checkpoint-every"] = Text(defaults.CheckpointEvery),
        };
        return TrainingOptions.Select(o => shown.TryGetValue(o.Name, out string? value) ? o with { Default = value } : o);
    }
}
