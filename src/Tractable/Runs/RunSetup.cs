using Tractable.Data;
using Tractable.Data.Audio;
using Tractable.IO;
using Tractable.Models;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>Turns a <see cref="RunSpec"/> into a device, data and a model configuration; reads and writes run folders.</summary>
public static class RunSetup
{
    /// <summary>The run description file in a run folder.</summary>
    public const string SpecFile = RunFolder.SpecFile;

    /// <summary>The metrics file in a run folder.</summary>
    public const string MetricsFile = RunFolder.SummaryFile;

    /// <summary>The training curve in a run folder.</summary>
    public const string CurveFile = RunFolder.MetricsFile;

    /// <summary>The device named by <paramref name="name"/> (<c>cpu</c> or <c>cuda</c>), checked to be usable.</summary>
    public static Device ParseDevice(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new InvalidSettingException("device",
            "CUDA is not available here: no CUDA device was found, or this build uses the CPU libtorch (docs/distributed.md says how to swap in a CUDA build)."),
        _ => throw new InvalidSettingException("device", $"Unknown device '{name}'; expected cpu or cuda."),
    };

    /// <summary>Loads the data of <paramref name="spec"/>: a dataset, speech cut into crops of <paramref name="crop"/> samples, or an energy.</summary>
    public static RunData LoadData(RunSpec spec, int crop)
    {
        if (spec.HeldOutLimit is int limit && (limit < 1 || DatasetCatalog.FindEnergy(spec.Data) is not null || DatasetCatalog.IsSpeech(spec.Data)))
            throw new InvalidSettingException(nameof(RunSpec.HeldOutLimit),
                limit < 1 ? $"{limit} held-out examples: at least one is needed." : $"'{spec.Data}' is not a dataset of examples; the limit applies to those only.");
        if (DatasetCatalog.FindEnergy(spec.Data) is { } energy) return new EnergyData(energy);
        if (DatasetCatalog.IsSpeech(spec.Data))
            return new SequenceData(SpeechDataset.Load(spec.Data["speech:".Length..], DataOptionsOf(spec),
                ModelRegistry.Find(spec.Model).ReceptiveField(spec.EffectiveModelOptions())), crop);
        DataSplits splits = DatasetCatalog.Load(spec.Data, DataOptionsOf(spec));
        return new ExampleData(spec.HeldOutLimit is int held ? splits.WithHeldOutLimit(held) : splits);
    }

    /// <summary>The data settings that <paramref name="spec"/> records.</summary>
    public static DataOptions DataOptionsOf(RunSpec spec) => new()
    {
        DataDirectory = spec.DataDir, Seed = spec.DataSeed, SampleRate = spec.SampleRate,
        Columns = spec.Columns is null ? null : ColumnSelection.Parse(spec.Columns), MissingValues = spec.MissingValues ?? MissingValuePolicy.Error,
    };

    /// <summary>Loads the data of <paramref name="spec"/> with the crop length its model kind trains with.</summary>
    public static RunData LoadData(RunSpec spec) => LoadData(spec, CropOf(spec));

    /// <summary>The crop length of <paramref name="spec"/>: its own, else its model kind's default.</summary>
    public static int CropOf(RunSpec spec) =>
        spec.Crop ?? ModelRegistry.Find(spec.Model).Defaults(ModelRegistry.Find(spec.Model).TypicalData).Crop;

    /// <summary>The model kind and configuration of <paramref name="spec"/> for <paramref name="data"/>, checked to fit each other.</summary>
    public static (ModelKind Kind, ModelConfig Config) CreateConfig(RunSpec spec, RunData data)
    {
        ModelKind kind = ModelRegistry.Find(spec.Model);
        kind.CheckData(data);
        return (kind, kind.CreateConfig(data.Shape, spec.EffectiveModelOptions()));
    }

    /// <summary>Reads <c>run.json</c> from a run folder.</summary>
    public static RunSpec ReadSpec(string runDirectory)
    {
        string path = Path.Combine(runDirectory, SpecFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{runDirectory}' is not a run folder: {SpecFile} is missing.", path);
        return JsonFiles.Read<RunSpec>(path);
    }

    /// <summary>Writes <c>run.json</c>.</summary>
    public static void WriteSpec(string runDirectory, RunSpec spec) => JsonFiles.Write(Path.Combine(runDirectory, SpecFile), spec);

    /// <summary>Whether <paramref name="directory"/> holds a run.</summary>
    public static bool IsRunFolder(string directory) => File.Exists(Path.Combine(directory, SpecFile));

    /// <summary>The figures of training recorded in a run folder's checkpoint, or null when it has none.</summary>
    public static TrainResult? ReadTraining(string runDirectory)
    {
        var checkpoints = new CheckpointStore(runDirectory);
        if (!checkpoints.Exists) return null;
        TrainingState state = checkpoints.ReadState();
        return new TrainResult { Steps = state.Step, TrainSeconds = state.TrainSeconds, SkippedSteps = state.SkippedSteps };
    }

}
