using Tractable.Cli.CommandLine;
using Tractable.Data;
using Tractable.Data.Audio;
using Tractable.Data.Energy;
using Tractable.IO;
using Tractable.Models;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Cli.Runs;

/// <summary>
/// What a run trains on: a dataset, an unnormalized energy for reverse-KL fitting, or speech (cut into segments of
/// <paramref name="SegmentLength"/> samples for training).
/// </summary>
public sealed record RunData(DataSplits? Data, PotentialEnergy? Energy, SpeechDataset? Speech = null, int SegmentLength = 0)
{
    /// <summary>The dataset or energy's name.</summary>
    public string Name => Data?.Name ?? Speech?.Name ?? Energy!.Name;

    /// <summary>The data dimension.</summary>
    public int Features => Shape.Features;

    /// <summary>What models need to know about the data.</summary>
    public DataShape Shape => Speech is not null
        ? new DataShape([SegmentLength], Levels: MuLaw.Levels, SampleRate: Speech.SampleRate)
        : Data is null
        ? new DataShape([2])
        : new DataShape(Data.EventShape, Data.NumClasses, Data.Levels, Data.StandardizeByDefault);
}

/// <summary>Turns a <see cref="RunSpec"/> into data, a model and an objective; reads and writes run folders.</summary>
public static class RunSetup
{
    /// <summary>The run description file in a run folder.</summary>
    public const string SpecFile = "run.json";

    /// <summary>The device named by <paramref name="name"/>, checked to be usable.</summary>
    public static Device ParseDevice(string name) => name.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new UsageException("--device cuda: CUDA is not available here (this build uses the CPU libtorch)."),
        _ => throw new UsageException($"Unknown device '{name}'; expected cpu or cuda."),
    };

    /// <summary>Loads the dataset or energy of <paramref name="spec"/>.</summary>
    public static RunData LoadData(RunSpec spec)
    {
        if (DatasetCatalog.FindEnergy(spec.Data) is { } energy) return new RunData(null, energy);
        if (DatasetCatalog.IsSpeech(spec.Data))
            return new RunData(null, null, SpeechDataset.Load(spec.Data["speech:".Length..], spec.DataDir, spec.DataSeed), spec.Crop);
        return new RunData(DatasetCatalog.Load(spec.Data, new DataOptions { DataDirectory = spec.DataDir, Seed = spec.DataSeed }), null);
    }

    /// <summary>The model configuration for <paramref name="spec"/> on <paramref name="data"/>.</summary>
    public static ModelConfig CreateConfig(RunSpec spec, RunData data)
    {
        ModelConfig config = ModelCatalog.Create(spec.Model,
            data.Shape with { Standardize = spec.Standardize ?? data.Shape.Standardize }, spec.Architecture);
        if ((config is WaveNetConfig) != (data.Speech is not null))
            throw new UsageException(data.Speech is not null
                ? $"--data {spec.Data} is audio: train it with --model wavenet."
                : "--model wavenet models audio: use --data speech:PATH (a folder of 16-bit mono WAVs).");
        bool needsDensity = data.Energy is null;
        if (needsDensity && config is PlanarConfig or RadialConfig)
            throw new UsageException(
                $"--model {spec.Model} has no closed-form inverse, so it cannot be fitted to data by maximum likelihood; " +
                "fit it to an energy (--data u1..u4) by reverse KL.");
        return config;
    }

    /// <summary>The training objective for <paramref name="data"/>.</summary>
    public static ITrainingObjective CreateObjective(RunSpec spec, RunData data, Device device) =>
        data.Energy is not null ? new ReverseKl(data.Energy, spec.AnnealSteps)
        : data.Speech is not null ? new SequenceMaximumLikelihood(data.Speech, device)
        : new MaximumLikelihood(data.Data!, device);

    /// <summary>Reads <c>run.json</c> from a run folder.</summary>
    public static RunSpec ReadSpec(string runDirectory)
    {
        string path = Path.Combine(runDirectory, SpecFile);
        if (!File.Exists(path)) throw new UsageException($"'{runDirectory}' is not a run folder: {SpecFile} is missing.");
        return JsonFiles.Read<RunSpec>(path);
    }

    /// <summary>Writes <c>run.json</c>.</summary>
    public static void WriteSpec(string runDirectory, RunSpec spec) => JsonFiles.Write(Path.Combine(runDirectory, SpecFile), spec);

    /// <summary>Whether <paramref name="directory"/> holds a run.</summary>
    public static bool IsRunFolder(string directory) => File.Exists(Path.Combine(directory, SpecFile));

    /// <summary>Removes the files a run writes (and nothing else) before it is trained afresh.</summary>
    public static void ClearRun(string directory)
    {
        foreach (string file in new[] { SpecFile, ModelStore.ConfigFile, ModelStore.WeightsFile, "metrics.csv", "metrics.json" })
            File.Delete(Path.Combine(directory, file));
        string checkpoint = new CheckpointStore(directory).Directory;
        if (Directory.Exists(checkpoint)) Directory.Delete(checkpoint, recursive: true);
    }
}
