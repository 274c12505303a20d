using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Tractable.Fuzzing;
using Tractable.Tests.Support;
using Tractable.Training;
using Xunit.Abstractions;

namespace Tractable.Tests.Reliability;

/// <summary>
/// The command line killed with SIGKILL at seeded random moments, some of them inside checkpoint writes, and resumed
/// with <c>--resume</c> each time: a tiny model of every family ends with the <c>model.bin</c> bytes, the
/// <c>metrics.csv</c> rows and the test figures of an uninterrupted run (docs/reliability.md, "CLI guarantees").
/// </summary>
/// <remarks>
/// The moments are drawn from a seeded generator as steps of the run (marked by its checkpoints) and short delays, so
/// that they fall across the run on a fast machine and a loaded one alike; the exact instant each kill lands on still
/// depends on the machine's speed, which is the point: any moment must do. A kill "inside a write" waits for a
/// <c>checkpoint.GUID.tmp</c> folder to appear and stops the process while it is there (SIGSTOP), then kills it: the kill
/// lands while the checkpoint's files are written and flushed.
/// </remarks>
[Trait("Category", "Kill")]
public sealed class KillResumeTests(ITestOutputHelper log) : IDisposable
{
    private const int Kills = 3;

    private const int CheckpointEvery = 5;

    /// <summary>Kills aim at steps before this one, so that a session is still running when its moment comes.</summary>
    private const int LastKillStep = 110;

    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Settings of every run: a checkpoint every 5 steps, rows of metrics.csv every 25 and at each validation, so checkpoints fall between rows.</summary>
    private static readonly string[] Schedule = ["--steps", "120", "--eval-every", "20", "--checkpoint-every", $"{CheckpointEvery}", "--batch-size", "8", "--threads", "1"];

    /// <summary>A tiny model of each family, its data (made under the test's folder: DATA stands for it) and the seed of its kill moments.</summary>
    public static TheoryData<string, string[], int> Families => new()
    {
        { "vector flow", ["--model", "realnvp", "--data", "moons", "--layers", "2", "--hidden", "8"], 11 },
        { "image flow", ["--model", "glow", "--data", "mnist", "--data-dir", "DATA", "--layers", "1", "--hidden", "4", "--levels", "1"], 12 },
        { "pixelcnn", ["--model", "gated-pixelcnn", "--data", "mnist", "--data-dir", "DATA", "--layers", "1", "--hidden", "4"], 13 },
        { "wavenet", ["--model", "wavenet", "--data", "speech:DATA", "--layers", "1", "--hidden", "4", "--crop", "64"], 14 },
        { "autoregressive flow on images", ["--model", "maf", "--data", "mnist", "--data-dir", "DATA", "--layers", "1", "--hidden", "8", "--hidden-layers", "1"], 15 },
    };

    [LinuxTheory]
    [MemberData(nameof(Families))]
    public void AKilledAndResumedRunEndsAsAnUninterruptedOne(string family, string[] model, int seed)
    {
        string data = folder.File("data");
        if (model.Contains("speech:DATA")) SampleFiles.SpeechFolder(data, files: 6, samples: 1200);
        else SampleFiles.MnistFolder(data, side: 4, trainImages: 5064, testImages: 32);
        string[] train = ["train", .. model.Select(a => a.Replace("DATA", data)), .. Schedule];

        // The uninterrupted run goes on beside the killed one (each has a thread of its own).
        string reference = folder.File("reference");
        using ChildProcess.Running uninterrupted = ChildProcess.Start(ChildProcess.Cli, [.. train, "--out", reference]);

        string run = folder.File("killed");
        var random = new Random(seed);
        int alwaysInside = random.Next(Kills);
        var kills = new List<string>();
        var clock = Stopwatch.StartNew();
        for (int k = 0; k < Kills; k++)
        {
            // A step to kill after, in the k-th of the parts the steps left are cut into (so the kills spread over the
            // run): the first checkpoint at or past it marks the moment. Below the first checkpoint's step, the kill
            // comes a random moment after training begins instead, before any checkpoint.
            int from = CheckpointStep(run) ?? 0;
            if (from >= LastKillStep) break;
            int target = random.Next(from + 1, from + 1 + Math.Max(1, (LastKillStep - from) / (Kills - k)));
            bool insideWrite = k == alwaysInside || random.Next(2) == 0;
            int delay = random.Next(0, 200);
            // Between kills the run resumes from its checkpoint; killed before its first checkpoint, it starts again.
            using ChildProcess.Running session = ChildProcess.Start(ChildProcess.Cli, Session(train, run));
            WaitFor(session, () => session.Output.Contains(": steps "), poll: 5);      // "glow on mnist: steps 0..120"
            if (target < CheckpointEvery && !insideWrite) Thread.Sleep(delay);
            else WaitFor(session, () => CheckpointStep(run) >= target, poll: 5);
            if (insideWrite) StopInsideAWrite(session, run);
            else Thread.Sleep(delay / 10);
            if (session.Process.HasExited) break;                               // finished before the kill
            session.Process.Kill();                                             // SIGKILL
            session.Process.WaitForExit();
            kills.Add($"{clock.Elapsed.TotalSeconds:F1} s, after step {target} {(insideWrite ? "inside a write" : "between writes")}: left {string.Join(" ", Entries(run))}, checkpoint of step {CheckpointStep(run)}");
        }
        using (ChildProcess.Running last = ChildProcess.Start(ChildProcess.Cli, Session(train, run)))
        {
            (int code, string output) = last.Wait(TimeSpan.FromMinutes(2));
            Assert.True(code == 0, $"{family}: the last session exited {code}:\n{output}");
        }

        (int referenceCode, string referenceOutput) = uninterrupted.Wait(TimeSpan.FromMinutes(2));
        Assert.True(referenceCode == 0, referenceOutput);
        string story = $"{family}, kills:\n{string.Join("\n", kills)}";
        log.WriteLine(story);
        Assert.True(kills.Count > 0, story);
        Assert.Contains(kills, k => k.Contains("inside a write") && k.Contains(".tmp"));   // at least one kill cut a checkpoint write short
        Assert.True(File.ReadAllBytes(Path.Combine(reference, "model.bin")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(run, "model.bin"))), story);
        Assert.Equal(Rows(reference), Rows(run));
        Assert.Equal(Figures(reference), Figures(run));
        Assert.DoesNotContain(Entries(run), e => e.EndsWith(".tmp") || e.EndsWith(".previous"));
    }

    /// <summary>The next session of a run: a resume when it has a checkpoint, else the whole run again.</summary>
    private static string[] Session(string[] train, string run) =>
        new CheckpointStore(run).Exists ? ["train", "--out", run, "--resume", "--threads", "1"] : [.. train, "--out", run, "--overwrite"];

    /// <summary>Polls every <paramref name="poll"/> ms until <paramref name="condition"/> holds or the process ends; a file caught in the middle of a rename counts as not yet.</summary>
    private static void WaitFor(ChildProcess.Running session, Func<bool> condition, int poll)
    {
        var clock = Stopwatch.StartNew();
        while (!session.Process.HasExited)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"waited a minute in vain:\n{session.Output}");
            try
            {
                if (condition()) return;
            }
            catch (IOException)
            {
            }
            Thread.Sleep(poll);
        }
    }

    /// <summary>
    /// Stops the process (SIGSTOP) while it writes a checkpoint, so that the kill lands inside the write: a write seen in
    /// progress (its <c>checkpoint.GUID.tmp</c> folder, polled every millisecond) that has ended by the time the process
    /// is stopped lets the process go on (SIGCONT) to the next. Returns at once when the process ends.
    /// </summary>
    private static void StopInsideAWrite(ChildProcess.Running session, string run)
    {
        bool Writing() => Directory.EnumerateDirectories(run, CheckpointStore.FolderName + ".*.tmp").Any();
        while (!session.Process.HasExited)
        {
            WaitFor(session, Writing, poll: 1);
            if (session.Process.HasExited || Signal(session.Process.Id, SigStop) != 0) return;
            if (Writing()) return;
            Signal(session.Process.Id, SigCont);
        }
    }

    private const int SigStop = 19, SigCont = 18;                             // Linux's numbers

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    /// <summary>The step of the run's checkpoint, or null when it has none (yet).</summary>
    private static int? CheckpointStep(string run)
    {
        try
        {
            var store = new CheckpointStore(run);
            return store.Exists ? store.SavedStep() : null;
        }
        catch (Exception e) when (e is IOException or Tractable.IO.CorruptFileException)
        {
            return null;                                                        // caught between the renames of a save
        }
    }

    /// <summary>What the run folder holds, by name.</summary>
    private static IEnumerable<string> Entries(string run) =>
        Directory.Exists(run) ? Directory.EnumerateFileSystemEntries(run).Select(e => Path.GetFileName(e)).Order() : ["nothing"];

    /// <summary>The rows of metrics.csv without the wall-clock column <c>train_seconds</c>.</summary>
    private static string[] Rows(string run) =>
        File.ReadAllLines(Path.Combine(run, "metrics.csv")).Select(l => string.Join(",", l.Split(',').Where((_, i) => i != 4))).ToArray();

    /// <summary>metrics.json without its wall-clock figure.</summary>
    private static string Figures(string run)
    {
        JsonObject figures = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")))!.AsObject();
        Assert.True(figures.Remove("train_seconds"));
        return figures.ToJsonString();
    }
}
