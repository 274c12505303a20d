using System.Diagnostics;
using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Tests.Reliability;

/// <summary>One writer per run folder, held by an OS lock; clearing removes the whole run and nothing else.</summary>
public sealed class RunFolderTests : IDisposable
{
    private readonly string run = Directory.CreateTempSubdirectory("tractable-run-").FullName;

    public void Dispose() => Directory.Delete(run, recursive: true);

    private string P(string name) => Path.Combine(run, name);

    [Fact]
    public void ASecondWriterIsRefusedUntilTheFirstReleases()
    {
        using (RunFolder first = RunFolder.Acquire(run))
        {
            var e = Assert.Throws<RunFolderInUseException>(() => RunFolder.Acquire(run));
            Assert.Contains(Path.GetFullPath(run), e.Message);
            Assert.Contains("another process is writing this run", e.Message);
        }
        using RunFolder second = RunFolder.Acquire(run);
        Assert.Equal(run, second.Directory);
    }

    [FlockFact]
    public void AKilledWriterLeavesNoStaleLock()
    {
        // flock(1) takes the same exclusive lock a .NET writer does; -o keeps it from its child, so killing flock frees it.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["-o", P(RunFolder.LockFile), "sleep", "60"]) { UseShellExecute = false })!;
        try
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    RunFolder.Acquire(run).Dispose();                        // not taken yet
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "flock never took the lock");
                    Thread.Sleep(20);
                }
                catch (RunFolderInUseException)
                {
                    break;
                }
            }
            holder.Kill(entireProcessTree: true);                                // SIGKILL
            holder.WaitForExit();
            using RunFolder taken = RunFolder.Acquire(run);
        }
        finally
        {
            if (!holder.HasExited) holder.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void TakingTheFolderRemovesWhatKilledWritesLeft()
    {
        string tempFile = P($"model.bin.{Guid.NewGuid():N}.tmp");
        string tempFolder = P($"checkpoint.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(tempFile, "half");
        Directory.CreateDirectory(tempFolder);
        File.WriteAllText(P("notes.tmp"), "mine");
        using RunFolder folder = RunFolder.Acquire(run);
        Assert.False(File.Exists(tempFile));
        Assert.False(Directory.Exists(tempFolder));
        Assert.True(File.Exists(P("notes.tmp")));
    }

    [Fact]
    public void ClearRemovesTheWholeRunAndNothingElse()
    {
        foreach (string file in new[] { "run.json", "model.json", "model.bin", "metrics.csv", "metrics.json", "samples.png" })
            File.WriteAllText(P(file), "x");
        foreach (string dir in new[] { "checkpoint", "checkpoint.previous", $"checkpoint.{Guid.NewGuid():N}.tmp" })
        {
            Directory.CreateDirectory(P(dir));
            File.WriteAllText(Path.Combine(P(dir), "state.json"), "{}");
        }
        using RunFolder folder = RunFolder.Acquire(run);
        Assert.True(folder.Checkpoints.Exists);
        folder.Clear();
        Assert.False(folder.Checkpoints.Exists);
        Assert.Equal(["run.lock", "samples.png"], Directory.EnumerateFileSystemEntries(run).Select(e => Path.GetFileName(e)!).Order().ToArray());
    }

    [Fact]
    public void MetricsAreCutBackToTheCheckpointsStep()
    {
        var log = new MetricsLog(P("metrics.csv"));
        for (int step = 25; step <= 150; step += 25) log.Append(step, 1.0 / step, 1e-3, step % 50 == 0 ? 0.5 : null, step, 0);
        File.AppendAllText(P("metrics.csv"), "175,0.00");                        // the row a kill cut short
        log.TruncateAfter(100);
        string[] lines = File.ReadAllLines(P("metrics.csv"));
        Assert.Equal("step,loss,lr,val_loss,train_seconds,skipped_steps", lines[0]);
        Assert.Equal(["25", "50", "75", "100"], lines[1..].Select(l => l.Split(',')[0]).ToArray());
        log.Append(125, 0.1, 1e-3, null, 125, 0);
        Assert.Equal("125", File.ReadAllLines(P("metrics.csv"))[^1].Split(',')[0]);

        File.WriteAllText(P("metrics.csv"), "step,loss,lr,val_loss,train_seconds,skipped_steps\n25,1,1,,1,0\ngarbage\n50,1,1,,1,0\n");
        var e = Assert.Throws<Tractable.IO.CorruptFileException>(() => log.TruncateAfter(25));
        Assert.Contains("line 3", e.Message);
    }
}

/// <summary>A fact that needs util-linux's flock(1) on Linux; skipped, saying so, elsewhere.</summary>
public sealed class FlockFactAttribute : FactAttribute
{
    public FlockFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/flock")) Skip = "needs flock(1) on Linux";
    }
}
