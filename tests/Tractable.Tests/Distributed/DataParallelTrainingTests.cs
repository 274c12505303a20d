using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Tractable.Cli;
using Tractable.Models;
using Tractable.Tests.Support;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Tests.Distributed;

/// <summary>
/// Training as an MPI job of two ranks on this machine (one thread each), against one process with the same seed: the
/// same loss curve, weights and test figures, a checkpoint that resumes in one process, identical ranks after ActNorm's
/// data-dependent initialization (weights and the generator of model noise), and a killed rank that fails the job and
/// leaves a checkpoint to resume from.
/// </summary>
[Collection(Sequential.Name)]
public sealed class DataParallelTrainingTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static string[] RealNvp(string run, int steps, int checkpointEvery = 5, int evalEvery = 5) =>
    [
        "train", "--model", "realnvp", "--data", "moons", "--layers", "4", "--hidden", "32", "--steps", $"{steps}",
        "--batch-size", "63", "--eval-every", $"{evalEvery}", "--checkpoint-every", $"{checkpointEvery}", "--seed", "3",
        "--threads", "1", "--out", run,
    ];

    [MpiFact]
    public void RealNvpOnTwoRanksFollowsOneProcessAndItsCheckpointResumesInOne()
    {
        // 63 does not divide by 2: the ranks' shares differ by one example and the sum of their gradients is still the batch's.
        string two = folder.File("two"), one = folder.File("one");
        AssertSucceeded(ChildProcess.RunCli(RealNvp(two, 10), ranks: 2));
        Assert.Equal(0, TractableCli.Run(RealNvp(one, 10)));
        AssertSameRun(one, two);

        // Rank 0's checkpoint continues in one process as the one-process run continues.
        string[] resume = ["train", "--resume", "--steps", "15", "--threads", "1", "--out"];
        Assert.Equal(0, TractableCli.Run([.. resume, two]));
        Assert.Equal(0, TractableCli.Run([.. resume, one]));
        AssertSameRun(one, two);
        Assert.Equal(15, Curve(two)[^1].Step);
    }

    [MpiFact]
    public void GlowOnTwoRanksFollowsOneProcessWithTheSameDequantizationNoise()
    {
        // 6 steps on 2 ranks against 6 in one process; then both go on to step 9 in one process from their checkpoints.
        string data = FakeMnist(folder.File("mnist"));
        string two = folder.File("two"), one = folder.File("one");
        string[] Glow(string run) =>
        [
            "train", "--model", "glow", "--data", "mnist", "--data-dir", data, "--layers", "2", "--hidden", "8", "--levels", "2",
            "--steps", "6", "--batch-size", "16", "--eval-every", "3", "--checkpoint-every", "3", "--seed", "5", "--threads", "1", "--out", run,
        ];
        AssertSucceeded(ChildProcess.RunCli(Glow(two), ranks: 2));
        Assert.Equal(0, TractableCli.Run(Glow(one)));
        // Every example gets one process's noise, so the runs agree to the rounding of metrics.csv (6 digits) and the
        // weights to float rounding: noise drawn per rank (1.7e-5 of the loss, 9e-5 in a weight here) does not pass.
        AssertSameRun(one, two, relative: 5e-6, weights: 1e-6);
        // The test split was scored half by each rank: the same figures as one process's.
        JsonElement a = Metrics(one), b = Metrics(two);
        foreach (string key in new[] { "nll_nats", "nll_stderr", "bits_per_dim" })
            Assert.Equal(a.GetProperty(key).GetDouble(), b.GetProperty(key).GetDouble(), 1e-4 * Math.Abs(a.GetProperty(key).GetDouble()));
        Assert.Equal(a.GetProperty("num_examples").GetInt64(), b.GetProperty("num_examples").GetInt64());

        // Rank 0's checkpoint holds one process's generator of model noise: both continue alike in one process.
        string[] resume = ["train", "--resume", "--steps", "9", "--threads", "1", "--out"];
        Assert.Equal(0, TractableCli.Run([.. resume, two]));
        Assert.Equal(0, TractableCli.Run([.. resume, one]));
        AssertSameRun(one, two, relative: 5e-6, weights: 1e-6);
    }

    [MpiFact]
    public void ActNormInitializationIsRankZerosOnEveryRank()
    {
        string two = Directory.CreateDirectory(folder.File("two")).FullName, one = Directory.CreateDirectory(folder.File("one")).FullName;
        string host = Path.Combine(AppContext.BaseDirectory, "Tractable.MpiHost.dll");
        using (var job = ChildProcess.Start(host, [two], ranks: 2)) AssertSucceeded(job.Wait(TimeSpan.FromMinutes(2)));
        using (var alone = ChildProcess.Start(host, [one])) AssertSucceeded(alone.Wait(TimeSpan.FromMinutes(2)));

        Dictionary<string, Tensor> rank0 = Load(Path.Combine(two, "rank0")), rank1 = Load(Path.Combine(two, "rank1"));
        Dictionary<string, Tensor> single = Load(Path.Combine(one, "rank0"));
        string[] flags = [.. rank0.Keys.Where(k => k.EndsWith("initialized", StringComparison.Ordinal))];
        Assert.NotEmpty(flags);
        foreach (string flag in flags) Assert.Equal(1f, rank1[flag].item<float>());
        // Every tensor, ActNorm's scales and biases included, is rank 0's on rank 1, and rank 0's is one process's.
        foreach (var (key, value) in rank0)
        {
            Assert.True(value.equal(rank1[key]).all().item<bool>(), $"{key} differs between the ranks");
            Assert.True(value.equal(single[key]).all().item<bool>(), $"{key} differs from one process's");
        }
        Assert.Contains(flags, f => rank0[f[..^"initialized".Length] + "bias"].abs().sum().item<float>() > 0);
        // The generator of model noise, which drew the dequantization noise of the initialization on rank 0, continues
        // on rank 1 from where it is on rank 0, and there from where it is in one process.
        byte[] Randomness(string run, int rank) => File.ReadAllBytes(Path.Combine(run, $"rank{rank}", "randomness.bin"));
        Assert.Equal(Randomness(two, 0), Randomness(two, 1));
        Assert.Equal(Randomness(one, 0), Randomness(two, 0));
        using var fresh = new TrainingRandomness();
        Assert.NotEqual(fresh.GetState(), Randomness(two, 1));
    }

    [MpiFact]
    public void AKilledRankFailsTheJobAndResumeContinuesFromTheLastCheckpoint()
    {
        string run = folder.File("run");
        string marker = Guid.NewGuid().ToString("N");
        using (var job = ChildProcess.Start(ChildProcess.Cli, RealNvp(run, 100_000, checkpointEvery: 5, evalEvery: 1000), ranks: 2,
                   new Dictionary<string, string> { ["TRACTABLE_TEST_JOB"] = marker }))
        {
            var checkpoints = new CheckpointStore(run);
            var clock = Stopwatch.StartNew();
            while (!(checkpoints.Exists && checkpoints.SavedStep() >= 10))
            {
                Assert.False(job.Process.HasExited, $"The job ended before it was killed:\n{job.Output}");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"No checkpoint after two minutes:\n{job.Output}");
                Thread.Sleep(100);
            }
            Process.GetProcessById(RankProcess(marker, rank: 1)).Kill();
            (int code, string output) = job.Wait(TimeSpan.FromMinutes(1));
            Assert.NotEqual(0, code);
            Assert.Contains("BAD TERMINATION", output);
        }
        int saved = new CheckpointStore(run).SavedStep();
        (int resumed, string log) = ChildProcess.RunCli(["train", "--out", run, "--resume", "--steps", $"{saved + 5}", "--threads", "1"], ranks: 2);
        Assert.True(resumed == 0, log);
        Assert.Contains($"steps {saved}..{saved + 5}", log);
        Assert.Equal(saved + 5, new CheckpointStore(run).SavedStep());
    }

    [Fact]
    public void AskingForMpiWithoutMpichIsAClearError()
    {
        (int code, string output) = ChildProcess.RunCli(["train", "--model", "realnvp", "--data", "moons", "--out", folder.File("run")],
            environment: new Dictionary<string, string> { ["TRACTABLE_MPI"] = "1", ["TRACTABLE_MPI_LIBRARY"] = "libno-such-mpi.so.12" });
        Assert.Equal(2, code);
        Assert.Contains("no MPICH library could be loaded", output);
        Assert.Contains("apt-get install mpich", output);
        Assert.False(Directory.Exists(folder.File("run")));
    }

    [MpiFact]
    public void CommandsThatRunInOneProcessAreRefusedUnderMpirun()
    {
        const string expected = "'curve' runs in one process: start it without mpirun";
        string[] args = ["curve", "--run", folder.File("none"), "--out", folder.File("c.png")];
        (int code, string output) = ChildProcess.RunCli(args, ranks: 2);
        // When both ranks end at once, the launcher can end rank 0 before its line is written: ask again, up to twice.
        for (int retry = 0; retry < 2 && !output.Contains(expected); retry++) (code, output) = ChildProcess.RunCli(args, ranks: 2);
        Assert.NotEqual(0, code);
        Assert.Contains(expected, output);
    }

    [MpiFact]
    public void AModelWithItsOwnObjectiveIsRefusedUnderMpirunBeforeAnythingIsWritten()
    {
        string run = folder.File("vae");
        string[] args = ["train", "--model", "vae", "--data", "mnist-binarized", "--data-dir", FakeMnist(folder.File("mnist")), "--hidden", "8",
            "--latent", "2", "--steps", "2", "--threads", "1", "--out", run];
        const string expected = "vae trains on its own objective (EvidenceLowerBound) in one process";
        (int code, string output) = ChildProcess.RunCli(args, ranks: 2);
        // When both ranks fail at once, the launcher can end rank 0 before its line is written: ask again, up to twice.
        for (int retry = 0; retry < 2 && !output.Contains(expected); retry++) (code, output) = ChildProcess.RunCli(args, ranks: 2);
        Assert.NotEqual(0, code);
        Assert.Contains(expected, output);
        Assert.False(File.Exists(Path.Combine(run, "run.json")));
    }

    private static void AssertSucceeded((int ExitCode, string Output) result) => Assert.True(result.ExitCode == 0, result.Output);

    /// <summary>
    /// The same training curve (loss and validation at every logged step, within <paramref name="relative"/> of their
    /// size) and the same final weights (within <paramref name="weights"/>).
    /// </summary>
    /// <remarks>
    /// Adam scales each element's step by its own gradient history, so where a gradient is near zero the rounding of a sum
    /// over shards (instead of one batch) moves the weight by a small fraction of the learning rate: the defaults leave
    /// room for that over a few steps.
    /// </remarks>
    private static void AssertSameRun(string expected, string actual, double relative = 2e-5, double weights = 1e-4)
    {
        var a = Curve(expected);
        var b = Curve(actual);
        Assert.Equal(a.Select(r => r.Step), b.Select(r => r.Step));
        foreach (var (x, y) in a.Zip(b))
        {
            Assert.Equal(x.Loss, y.Loss, relative * Math.Abs(x.Loss) + 1e-6);
            Assert.Equal(x.Validation ?? double.NaN, y.Validation ?? double.NaN, relative * Math.Abs(x.Validation ?? 0) + 1e-6);
        }
        Dictionary<string, Tensor> wa = Load(expected), wb = Load(actual);
        Assert.Equal(wa.Keys.Order(), wb.Keys.Order());
        foreach (var (key, value) in wa)
            if (!value.allclose(wb[key], rtol: weights, atol: weights))
                Assert.Fail($"{key}: largest difference {(value - wb[key]).abs().max().item<float>()}");
    }

    private static List<(int Step, double Loss, double? Validation)> Curve(string run) =>
        [.. File.ReadLines(Path.Combine(run, "metrics.csv")).Skip(1).Select(line => line.Split(',')).Select(f =>
            (int.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture),
             f[3].Length > 0 ? double.Parse(f[3], CultureInfo.InvariantCulture) : (double?)null))];

    private static JsonElement Metrics(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json"))).RootElement;

    /// <summary>The state of the model saved in <paramref name="run"/>.</summary>
    private static Dictionary<string, Tensor> Load(string run)
    {
        using DensityModel model = ModelStore.Load(run);
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    /// <summary>The process id of rank <paramref name="rank"/> of the job whose environment carries <paramref name="marker"/>.</summary>
    private static int RankProcess(string marker, int rank)
    {
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string[] environment;
            try { environment = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0'); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (environment.Contains($"TRACTABLE_TEST_JOB={marker}") && environment.Contains($"PMI_RANK={rank}")
                && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("Tractable.Cli.dll"))
                return pid;
        }
        throw new InvalidOperationException($"No process of rank {rank} found.");
    }

    /// <summary>MNIST's files with 5,064 training and 100 test images of 8×8 random pixels (the last 5,000 training images are validation).</summary>
    private static string FakeMnist(string directory)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(1);
        foreach (var (prefix, count) in new[] { ("train", 5064), ("t10k", 100) })
        {
            byte[] pixels = new byte[count * 64];
            random.NextBytes(pixels);
            WriteIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte.gz"), 2051, [count, 8, 8], pixels);
            WriteIdx(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte.gz"), 2049, [count], [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))]);
        }
        return directory;
    }

    private static void WriteIdx(string path, int magic, int[] shape, byte[] data)
    {
        using var stream = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        void BigEndian(int v) => stream.Write([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        BigEndian(magic);
        foreach (int d in shape) BigEndian(d);
        stream.Write(data);
    }
}
