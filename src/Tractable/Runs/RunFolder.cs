using Tractable.IO;
using Tractable.Models;
using Tractable.Training;

namespace Tractable.Runs;

/// <summary>
/// A run folder held for writing by one process for the life of a training or resumed run. The hold is an OS lock on
/// <c>run.lock</c> (a <see cref="FileStream"/> opened with <see cref="FileShare.None"/>, an exclusive <c>flock</c> on
/// Linux and macOS, a sharing lock on Windows), so the system releases it when the process ends in any way, kill -9
/// included: no stale lock is ever left. A second writer is refused with a <see cref="RunFolderInUseException"/>.
/// </summary>
/// <remarks>
/// Taking the folder removes what killed writes left behind (temporary files and checkpoint folders), which is safe
/// only because no other writer can be in it. The lock file itself stays: removing it would let a third process lock
/// a new file while a second still holds the old one.
/// </remarks>
public sealed class RunFolder : IDisposable
{
    /// <summary>The lock file.</summary>
    public const string LockFile = "run.lock";

    /// <summary>What defines the run (written by the command line), so that evaluation and resuming need only the folder.</summary>
    public const string SpecFile = "run.json";

    /// <summary>The training log (<see cref="MetricsLog"/>).</summary>
    public const string MetricsFile = "metrics.csv";

    /// <summary>The test figures written at the end of a run.</summary>
    public const string SummaryFile = "metrics.json";

    private readonly FileStream hold;

    private RunFolder(string directory, FileStream hold)
    {
        Directory = directory;
        this.hold = hold;
        Checkpoints = new CheckpointStore(directory);
        Metrics = new MetricsLog(Path.Combine(directory, MetricsFile));
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The run's checkpoints.</summary>
    public CheckpointStore Checkpoints { get; }

    /// <summary>The run's training log.</summary>
    public MetricsLog Metrics { get; }

    /// <summary>
    /// Takes <paramref name="directory"/> (created if absent) for writing, then removes the leftovers of killed writes;
    /// a folder another process holds is a <see cref="RunFolderInUseException"/>, one that cannot be written an
    /// <see cref="UnwritableOutputException"/>. Dispose the result to release it.
    /// </summary>
    public static RunFolder Acquire(string directory)
    {
        string lockPath = Path.Combine(directory, LockFile);
        FileStream hold;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UnwritableOutputException(directory, $"the run folder cannot be created ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        try
        {
            hold = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        {
            throw new UnwritableOutputException(directory, $"the run folder cannot be locked ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        catch (IOException e)
        {
            throw new RunFolderInUseException(
                $"{Path.GetFullPath(directory)}: another process is writing this run (it holds {LockFile}); wait for it to finish or stop it first.", e);
        }
        var folder = new RunFolder(directory, hold);
        folder.RemoveLeftovers();
        return folder;
    }

    /// <summary>Removes the temporary files and checkpoint folders that writes killed before their rename left behind.</summary>
    public void RemoveLeftovers()
    {
        Checkpoints.RemoveTemporaryFolders();
        AtomicFile.RemoveLeftovers(Directory);
    }

    /// <summary>
    /// Removes the whole run, so that nothing of it can be resumed or mistaken for the new one: <c>run.json</c>, the
    /// model, both checkpoint generations and temporary folders, the training log and the test figures. Other files
    /// in the folder (a user's own) and the lock are left alone.
    /// </summary>
    public void Clear()
    {
        RemoveLeftovers();
        Checkpoints.Clear();
        foreach (string file in new[] { SpecFile, ModelStore.ConfigFile, ModelStore.WeightsFile, MetricsFile, SummaryFile })
            File.Delete(Path.Combine(Directory, file));
    }

    /// <summary>Releases the folder.</summary>
    public void Dispose() => hold.Dispose();
}
