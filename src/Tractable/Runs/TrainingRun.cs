using Tractable.Data;
using Tractable.Distributed;
using Tractable.Evaluation;
using Tractable.IO;
using Tractable.Models;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>
/// One training run of a run folder, from its <see cref="RunSpec"/>: <see cref="Prepare"/> checks everything that can be
/// wrong with the inputs (data, model options, trainer options, device) before the folder is touched,
/// <see cref="Train"/> fits the model, and <see cref="Finish"/> evaluates it on the test split and writes
/// <c>metrics.json</c>.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    private RunFolder? lease;

    private TrainingRun(RunSpec spec, string folder, bool resume, ModelKind kind, RunData data, ModelConfig config, Device device)
    {
        Spec = spec;
        Folder = folder;
        Resume = resume;
        Kind = kind;
        Data = data;
        Config = config;
        Device = device;
    }

    /// <summary>The run's description.</summary>
    public RunSpec Spec { get; }

    /// <summary>The run folder.</summary>
    public string Folder { get; }

    /// <summary>Whether the run continues from its checkpoint.</summary>
    public bool Resume { get; }

    /// <summary>The model kind.</summary>
    public ModelKind Kind { get; }

    /// <summary>The data it is fitted to.</summary>
    public RunData Data { get; }

    /// <summary>The model's configuration.</summary>
    public ModelConfig Config { get; }

    /// <summary>The device it trains on.</summary>
    public Device Device { get; }

    /// <summary>The model, once <see cref="Train"/> has built it.</summary>
    public DensityModel? Model { get; private set; }

    /// <summary>The step training starts from (the checkpoint's when resuming).</summary>
    public int StartStep => Resume ? new CheckpointStore(Folder).SavedStep() : 0;

    /// <summary>A title for progress displays.</summary>
    public string Title => $"{Kind.Name} on {Data.Name}";

    /// <summary>
    /// Checks and loads everything <paramref name="spec"/> needs (<paramref name="data"/> when it is already loaded),
    /// and that <paramref name="folder"/> can be written; nothing is written yet.
    /// </summary>
    public static TrainingRun Prepare(RunSpec spec, string folder, bool resume, RunData? data = null)
    {
        OutputLocation.EnsureFolder(folder);
        spec.Trainer.Validate();
        Device device = RunSetup.ParseDevice(spec.Device);
        data ??= RunSetup.LoadData(spec);
        // A new run records what it learned about its data: the sample rate audio was converted to, a table's column names.
        if (!resume) spec = spec with { SampleRate = spec.SampleRate ?? data.Shape.SampleRate, FeatureNames = data.FeatureNames };
        (ModelKind kind, ModelConfig config) = RunSetup.CreateConfig(spec, data);
        if (resume && !new CheckpointStore(folder).Exists)
            throw new FileNotFoundException($"'{folder}' has no checkpoint to resume from.", folder);
        if (resume) new CheckpointStore(folder).Verify();
        return new TrainingRun(spec, folder, resume, kind, data, config, device);
    }

    /// <summary>
    /// Takes the run folder for this process now, before the model is built, so that a second writer is refused before
    /// anything is shown or computed; <see cref="Train"/> takes it otherwise. Under mpirun only rank 0 holds it.
    /// </summary>
    /// <exception cref="RunFolderInUseException">Another process is writing the run.</exception>
    public TrainingRun Hold()
    {
        if (ProcessGroup.Current.IsRoot) lease ??= RunFolder.Acquire(Folder);
        return this;
    }

    /// <summary>
    /// Takes the run folder (an OS lock held until <see cref="Finish"/> or <see cref="Dispose"/>, so a second writer is
    /// refused), builds the model, writes <c>run.json</c> and trains, reporting to <paramref name="onProgress"/> and, when
    /// given, to <paramref name="tensorBoard"/> (figures in the results' units, samples at each validation). A new run
    /// first clears whatever run the folder held.
    /// </summary>
    public TrainResult Train(Action<TrainProgress>? onProgress = null, CancellationToken cancellation = default, TensorBoardLogger? tensorBoard = null)
    {
        manual_seed(Spec.Trainer.Seed);
        DensityModel model = Config.Build();
        model.to(Device);
        Model = model;
        ITrainingObjective objective = Kind.CreateObjective(Data, Spec, Device);
        // Under mpirun each rank trains its share of every batch, and rank 0 alone writes the run folder.
        using DataParallelRun? parallel = DataParallelRun.Join(ProcessGroup.Current, this, model, objective, cancellation);
        if (parallel?.IsRoot ?? true)
        {
            lease ??= RunFolder.Acquire(Folder);
            if (!Resume) lease.Clear();
            RunSetup.WriteSpec(Folder, Spec);
        }
        Action<TrainProgress>? report = onProgress;
        if ((parallel?.IsRoot ?? true) && tensorBoard?.Observe(model, Spec.Trainer, Device, Data.Kind, Data.Name) is { } observer)
            report = onProgress is null ? observer : progress => { onProgress(progress); observer(progress); };
        return new Trainer(Spec.Trainer, parallel?.Folder ?? Folder) 
        {
            OnProgress = report, Parallel = parallel?.Gradients, FinalEvaluationScale = Kind.FinalEvaluationCost(Data, Config),
        }
            .Fit(model, parallel?.Objective ?? objective, Device, Resume, parallel?.Cancellation ?? cancellation);
    }

    /// <summary>Evaluates the trained model on the test split and writes <c>metrics.json</c>.</summary>
    public RunMetrics Finish(TrainResult result)
    {
        DensityModel model = Model ?? throw new InvalidOperationException("Train the run before finishing it.");
        RunMetrics metrics = RunEvaluation.Evaluate(model, Data, SplitName.Test, Device, result);
        if (ProcessGroup.Current.IsRoot) JsonFiles.Write(Path.Combine(Folder, RunSetup.MetricsFile), metrics);
        Dispose();
        return metrics;
    }

    /// <summary>Releases the run folder.</summary>
    public void Dispose()
    {
        lease?.Dispose();
        lease = null;
    }
}
