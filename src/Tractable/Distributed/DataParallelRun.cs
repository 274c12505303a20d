using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Tractable.Models;
using Tractable.Runs;
using Tractable.Training;
using Tractable.Transforms;

namespace Tractable.Distributed;

/// <summary>
/// One rank's part in a data-parallel training run (<see cref="TrainingRun"/> under <c>mpirun</c>): rank 0 trains in the
/// run folder and alone writes to it (run.json, metrics.csv, model, checkpoints); every other rank keeps the same files
/// in a private scratch folder, deleted at the end, so that each can restart from its own checkpoint exactly as rank 0
/// does. A resumed run starts every rank from the run folder's checkpoint, which must be readable on every rank (one
/// machine, or a shared file system).
/// </summary>
public sealed class DataParallelRun : IDisposable
{
    private readonly ICollective collective;
    private readonly string? scratch;

    private DataParallelRun(ICollective collective, TrainingRun run, CancellationToken cancellation)
    {
        this.collective = collective;
        if (run.Data is not ExampleData examples)
            throw new InvalidSettingException("data",
                $"Training across processes covers datasets of independent examples; '{run.Data.Name}' ({run.Data.Kind.ToString().ToLowerInvariant()}) trains in one process: start it without mpirun.");
        if (run.Spec.Trainer.BatchSize < collective.Size)
            throw new InvalidSettingException(nameof(TrainerOptions.BatchSize),
                $"BatchSize is the global batch, shared out among the {collective.Size} processes; it must be at least {collective.Size}, got {run.Spec.Trainer.BatchSize}.");
        Objective = new ShardedMaximumLikelihood(examples.Splits, run.Device, collective, cancellation);
        Gradients = new DataParallel(collective);
        if (collective.IsRoot)
        {
            Folder = run.Folder;
        }
        else
        {
            scratch = CreateScratch(collective.Rank);
            Folder = scratch;
            if (run.Resume) CopyCheckpoint(run.Folder, scratch);
        }
        // Rank 0 writes nothing to the run folder before every rank has read it and passed its own checks.
        collective.Barrier();
    }

    /// <summary>
    /// This rank's part of <paramref name="run"/> when <paramref name="collective"/> has several ranks, else null (one process
    /// trains as usual). Refuses data that is not a set of examples, an objective other than maximum likelihood (whose
    /// sharded form is what the ranks train), a global batch smaller than the job, and batch normalization, whose batch
    /// statistics would be each rank's own.
    /// </summary>
    public static DataParallelRun? Join(ICollective collective, TrainingRun run, DensityModel model, ITrainingObjective objective,
        CancellationToken cancellation)
    {
        if (collective.Size == 1) return null;
        if (objective is not MaximumLikelihood)
            throw new InvalidSettingException("model",
                $"Training across processes shares out maximum likelihood; {run.Kind.Name} trains on its own objective ({objective.GetType().Name}) in one process: start it without mpirun.");
        if (model.modules().OfType<BatchNormBijector>().Any())
            throw new InvalidSettingException("BatchNorm",
                "Batch normalization normalizes by each process's own share of the batch, so a run across processes would differ from one process's: turn it off to train with mpirun.");
        return new DataParallelRun(collective, run, cancellation);
    }

    /// <summary>Whether this rank writes the run folder.</summary>
    public bool IsRoot => collective.IsRoot;

    /// <summary>The folder this rank's trainer works in: the run folder on rank 0, a scratch folder elsewhere.</summary>
    public string Folder { get; }

    /// <summary>The objective each rank trains: its share of every global batch.</summary>
    public ShardedMaximumLikelihood Objective { get; }

    /// <summary>The trainer's gradient sum over ranks.</summary>
    public DataParallel Gradients { get; }

    /// <summary>The stop every rank makes after the same step when any rank is asked to stop.</summary>
    public CancellationToken Cancellation => Objective.Cancellation;

    /// <inheritdoc />
    public void Dispose()
    {
        Gradients.Dispose();
        if (scratch is not null && Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
    }

    /// <summary>
    /// A fresh scratch folder named after this process; those of earlier ranks whose process is gone (a killed job
    /// cannot delete its own) are removed first.
    /// </summary>
    private static string CreateScratch(int rank)
    {
        foreach (string stale in Directory.GetDirectories(Path.GetTempPath(), "tractable-rank*-pid*-*"))
        {
            Match owner = Regex.Match(Path.GetFileName(stale), @"-pid(\d+)-");
            if (!owner.Success || IsRunning(int.Parse(owner.Groups[1].Value, CultureInfo.InvariantCulture))) continue;
            try { Directory.Delete(stale, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return Directory.CreateTempSubdirectory($"tractable-rank{rank}-pid{Environment.ProcessId}-").FullName;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The checkpoint and the best model so far, which a resumed trainer reads.</summary>
    private static void CopyCheckpoint(string runFolder, string target)
    {
        string checkpoint = new CheckpointStore(runFolder).Directory;
        foreach (string folder in new[] { checkpoint, checkpoint + ".previous" })
            if (Directory.Exists(folder))
            {
                string copy = Path.Combine(target, Path.GetFileName(folder));
                Directory.CreateDirectory(copy);
                foreach (string file in Directory.GetFiles(folder)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }
        foreach (string file in new[] { ModelStore.ConfigFile, ModelStore.WeightsFile })
            if (File.Exists(Path.Combine(runFolder, file))) File.Copy(Path.Combine(runFolder, file), Path.Combine(target, file));
    }
}
