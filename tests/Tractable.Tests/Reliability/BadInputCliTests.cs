using System.Security.Cryptography;
using Tractable.Data.Audio;
using Tractable.Models;
using Tractable.Runs;
using Tractable.Tests.Support;
using static Tractable.Fuzzing.SampleFiles;

namespace Tractable.Tests.Reliability;

/// <summary>
/// Every hostile input of the command line, as a table: input → exit code → the one line printed → nothing written or
/// changed (the run folder, its run.json included, byte for byte; no new run folder; no output file).
/// </summary>
[Collection(Support.Sequential.Name)]
public sealed class BadInputCliTests(TinyRealNvpRun trained) : IClassFixture<TinyRealNvpRun>, IDisposable
{
    private readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    /// <summary>Where a case runs: a copy of the trained run, the path of a new run, and a folder for input and output files.</summary>
    public sealed class Scene(string root) : IDisposable
    {
        private readonly List<IDisposable> held = [];

        /// <summary>A copy of the trained run.</summary>
        public string Run => System.IO.Path.Combine(root, "run");

        /// <summary>A run folder that does not exist.</summary>
        public string NewRun => System.IO.Path.Combine(root, "new-run");

        /// <summary>A path in the folder of files (created).</summary>
        public string File(string name)
        {
            string folder = System.IO.Path.Combine(root, "files");
            Directory.CreateDirectory(folder);
            return System.IO.Path.Combine(folder, name);
        }

        /// <summary>A file of the run copy.</summary>
        public string InRun(string name) => System.IO.Path.Combine(Run, name);

        /// <summary>A folder that takes no new files: read-only by its mode, or, for a user no mode stops (root), a read-only file system.</summary>
        public string ReadOnlyFolder()
        {
            if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("read-only folders are made here with Unix file modes");
            string folder = File("read-only");
            Directory.CreateDirectory(folder);
            System.IO.File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            try
            {
                System.IO.File.WriteAllText(System.IO.Path.Combine(folder, "probe"), "");
            }
            catch (UnauthorizedAccessException)
            {
                return folder;
            }
            System.IO.File.Delete(System.IO.Path.Combine(folder, "probe"));
            System.IO.File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return "/proc/tractable-read-only";
        }

        /// <summary>Keeps <paramref name="resource"/> (a held lock) until the case ends.</summary>
        public void Hold(IDisposable resource) => held.Add(resource);

        public void Dispose()
        {
            foreach (IDisposable resource in held) resource.Dispose();
            held.Clear();
        }
    }

    /// <summary>One hostile input: what to set up and run, and the exit code and message it must get.</summary>
    public sealed record BadInput(Func<Scene, string[]> Arrange, int ExitCode, params string[] Message);

    private static readonly string[] Tiny = ["--steps", "2", "--threads", "1"];

    private static string[] TrainNew(Scene s, params string[] args) => ["train", .. args, "--out", s.NewRun, .. Tiny];

    private static string[] Resume(Scene s, params string[] args) => ["train", "--out", s.Run, "--resume", "--threads", "1", .. args];

    private static string[] Sample(Scene s, params string[] args) => ["sample", "--run", s.Run, "-n", "5", "--out", s.File("samples.csv"), .. args];

    private static string[] Eval(Scene s) => ["eval", "--run", s.Run, "--threads", "1"];

    private static void Damage(string path, Func<byte[], byte[]> damage) => File.WriteAllBytes(path, damage(File.ReadAllBytes(path)));

    private static byte[] Garbage(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7919 % 251)).ToArray();

    /// <summary>A speech folder of good files and one more, <paramref name="bad"/>.</summary>
    private static string Speech(Scene s, byte[] bad)
    {
        string folder = s.File("speech");
        SpeechFolder(folder, files: 3, samples: 800);
        File.WriteAllBytes(Path.Combine(folder, "bad.wav"), bad);
        return "speech:" + folder;
    }

    /// <summary>A table in scikit-learn's layout (the header says the last column holds labels), with <paramref name="label"/> as the label of row 2.</summary>
    private static string LabelledCsv(Scene s, string label)
    {
        string path = s.File("labelled.csv");
        File.WriteAllLines(path, ["20,2,zero,one", .. Enumerable.Range(0, 20).Select(i => $"{i},{i * i % 7},{(i == 1 ? label : (i % 2).ToString())}")]);
        return "csv:" + path;
    }

    private static string Mnist(Scene s, Action<string>? damage = null, int? trainLabels = null, Func<int, byte>? label = null)
    {
        string folder = s.File("mnist");
        MnistFolder(folder, side: 2, trainLabels: trainLabels, label: label);
        damage?.Invoke(folder);
        return folder;
    }

    private static byte[] Wav(int samples) => WavFile.ToBytes(new WavAudio(Enumerable.Range(0, samples).Select(i => i * 100 / 32768f).ToArray(), 8000));

    /// <summary>The table of the hostile inputs.</summary>
    public static readonly Dictionary<string, BadInput> Inputs = new()
    {
        // Damaged saved models and checkpoints.
        ["model.bin truncated (eval)"] = new(s => { Damage(s.InRun("model.bin"), b => b[..(b.Length / 2)]); return Eval(s); }, 2, "model.bin", "truncated"),
        ["model.bin empty (sample)"] = new(s => { Damage(s.InRun("model.bin"), _ => []); return Sample(s); }, 2, "model.bin", "empty file"),
        ["model.bin garbage (eval)"] = new(s => { Damage(s.InRun("model.bin"), b => Garbage(b.Length)); return Eval(s); }, 2, "model.bin"),
        ["model.bin with NaN weights (sample)"] = new(s => { PoisonWeights(s.Run); return Sample(s); }, 2, "model.bin", "NaN or infinite"),
        ["model.bin with NaN weights (eval)"] = new(s => { PoisonWeights(s.Run); return Eval(s); }, 2, "model.bin", "NaN or infinite"),
        ["model.json hidden_features 300000"] = new(s => { EditConfig(s.Run, "\"hidden_features\": 8", "\"hidden_features\": 300000"); return Sample(s); },
            2, "model.json", "hidden_features must be between 1 and 65536, got 300000"),
        ["model.json truncated"] = new(s => { Damage(s.InRun("model.json"), b => b[..(b.Length / 2)]); return Eval(s); }, 2, "model.json"),
        ["run.json garbage"] = new(s => { Damage(s.InRun("run.json"), b => Garbage(b.Length)); return Eval(s); }, 2, "run.json"),
        ["checkpoint model.bin truncated"] = new(s => { Damage(s.InRun("checkpoint/model.bin"), b => b[..^7]); return Resume(s, "--steps", "12"); },
            2, "checkpoint/model.bin", "manifest.json recorded"),
        ["checkpoint optimizer.bin garbage"] = new(s => { Damage(s.InRun("checkpoint/optimizer.bin"), b => Garbage(b.Length)); return Resume(s, "--steps", "12"); },
            2, "optimizer.bin", "SHA-256"),
        ["checkpoint state.json empty"] = new(s => { Damage(s.InRun("checkpoint/state.json"), _ => []); return Resume(s, "--steps", "12"); }, 2, "state.json"),
        ["checkpoint manifest.json garbage"] = new(s => { Damage(s.InRun("checkpoint/manifest.json"), b => Garbage(b.Length)); return Resume(s, "--steps", "12"); },
            2, "manifest.json"),

        // Damaged or absurd data.
        ["WAV chunk size 0xFFFFFFFF"] = new(s => TrainNew(s, "--model", "wavenet", "--data", Speech(s, [.. Wav(400)[..40], 0xFF, 0xFF, 0xFF, 0xFF, .. Wav(400)[44..]])),
            2, "bad.wav", "4294967295"),
        ["WAV of 0 samples"] = new(s => TrainNew(s, "--model", "wavenet", "--data", Speech(s, Wav(0))), 2, "bad.wav: 0 samples"),
        ["WAV of 10 samples"] = new(s => TrainNew(s, "--model", "wavenet", "--data", Speech(s, Wav(10))), 2, "bad.wav: 10 samples"),
        ["CSV label -1"] = new(s => TrainNew(s, "--model", "realnvp", "--data", LabelledCsv(s, "-1")), 2, "labelled.csv", "label -1 is out of range"),
        ["CSV label 2.5"] = new(s => TrainNew(s, "--model", "realnvp", "--data", LabelledCsv(s, "2.5")), 2, "labelled.csv", "label 2.5 is not an integer"),
        ["CSV constant column"] = new(s =>
        {
            File.WriteAllLines(s.File("constant.csv"), Enumerable.Range(0, 20).Select(i => $"{i},5,{i * i}"));
            return TrainNew(s, "--model", "realnvp", "--data", "csv:" + s.File("constant.csv"));
        }, 2, "constant.csv", "column 2 holds one value in every row"),
        ["CSV NaN"] = new(s =>
        {
            File.WriteAllLines(s.File("nan.csv"), Enumerable.Range(0, 20).Select(i => i == 3 ? "1,nan" : $"{i},{i * i}"));
            return TrainNew(s, "--model", "realnvp", "--data", "csv:" + s.File("nan.csv"));
        }, 2, "nan.csv: row 4, column 2"),
        ["gzip error in MNIST"] = new(s => TrainNew(s, "--model", "maf", "--data", "mnist", "--data-dir",
            Mnist(s, f => File.WriteAllBytes(Path.Combine(f, "train-labels-idx1-ubyte.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0x13, 0x37]))),
            2, "train-labels-idx1-ubyte.gz", "gzip"),
        ["negative IDX dimension"] = new(s => TrainNew(s, "--model", "maf", "--data", "mnist", "--data-dir",
            Mnist(s, f => File.WriteAllBytes(Path.Combine(f, "train-images-idx3-ubyte.gz"), Gzip(Idx(2051, [-3920, 2, 2], new byte[64]))))),
            2, "train-images-idx3-ubyte.gz", "dimension 1", "-3920"),
        ["MNIST images and labels of different counts"] = new(s => TrainNew(s, "--model", "maf", "--data", "mnist", "--data-dir", Mnist(s, trainLabels: 5000)),
            2, "train-images-idx3-ubyte.gz holds 5001 images but train-labels-idx1-ubyte.gz holds 5000 labels"),
        ["MNIST label 10 for an unconditional model"] = new(s => TrainNew(s, "--model", "maf", "--data", "mnist", "--data-dir", Mnist(s, label: i => (byte)(i == 7 ? 10 : i % 10))),
            2, "train-labels-idx1-ubyte.gz", "label 10"),

        // Options out of bounds.
        ["--layers 0"] = new(s => TrainNew(s, "--model", "realnvp", "--data", "moons", "--layers", "0"), 2, "--layers"),
        ["--layers -3"] = new(s => TrainNew(s, "--model", "realnvp", "--data", "moons", "--layers", "-3"), 2, "--layers"),
        ["--hidden 0"] = new(s => TrainNew(s, "--model", "realnvp", "--data", "moons", "--hidden", "0"), 2, "--hidden"),
        ["--lr Infinity"] = new(s => TrainNew(s, "--model", "realnvp", "--data", "moons", "--lr", "Infinity"), 2, "--lr"),
        ["--lr NaN"] = new(s => TrainNew(s, "--model", "glow", "--data", "moons", "--lr", "NaN"), 2, "--lr"),
        ["--threads 0"] = new(s => ["train", "--model", "realnvp", "--data", "moons", "--out", s.NewRun, "--threads", "0"], 2, "--threads"),
        ["--clip -1"] = new(s => TrainNew(s, "--model", "realnvp", "--data", "moons", "--clip", "-1"), 2, "--clip"),
        ["--temperature NaN"] = new(s => Sample(s, "--temperature", "NaN"), 2, "--temperature"),
        ["-n 0"] = new(s => Sample(s, "-n", "0"), 2, "-n"),
        ["a resumed run with --steps -5"] = new(s => Resume(s, "--steps", "-5"), 2, "--steps"),
        ["a resumed run with a new --lr"] = new(s => Resume(s, "--lr", "0.1"), 2, "--lr cannot change a resumed run"),
        ["--resume without a run"] = new(s => ["train", "--out", s.NewRun, "--resume"], 2, "new-run"),
        ["a new run over a run without --overwrite"] = new(s => ["train", "--model", "realnvp", "--data", "moons", "--out", s.Run, .. Tiny], 2, "already holds a run"),

        // Outputs that cannot be written.
        ["train --out not writable"] = new(s => ["train", "--model", "realnvp", "--data", "moons", "--out", Path.Combine(s.ReadOnlyFolder(), "run"), .. Tiny],
            2, "--out: cannot write", "does not take new files"),
        ["eval --out not writable"] = new(s => [.. Eval(s), "--out", Path.Combine(s.ReadOnlyFolder(), "eval")], 2, "--out: cannot write", "does not take new files"),
        ["sample --out not writable"] = new(s => ["sample", "--run", s.Run, "-n", "5", "--out", Path.Combine(s.ReadOnlyFolder(), "x.csv")],
            2, "--out: cannot write", "does not take new files"),
        ["sample --out inside a file"] = new(s => ["sample", "--run", s.Run, "-n", "5", "--out", Path.Combine(s.InRun("model.bin"), "x.csv")],
            2, "--out: cannot write", "model.bin' is a file, not a folder"),
        ["sample -n 2000000 --out FILE.png"] = new(s => ["sample", "--run", s.Run, "-n", "2000000", "--out", s.File("points.png")], 2, "-n 2000000: a picture shows at most 1000000 points"),
        ["eval --out a file"] = new(s => [.. Eval(s), "--out", s.InRun("model.bin")], 2, "--out: cannot write", "is a file, not a folder"),

        // A second writer.
        ["a resume while another process trains the run"] = new(s => { s.Hold(RunFolder.Acquire(s.Run)); return Resume(s, "--steps", "12"); },
            2, "another process is writing this run"),
        ["an --overwrite while another process trains the run"] = new(s =>
        {
            s.Hold(RunFolder.Acquire(s.Run));
            return ["train", "--model", "realnvp", "--data", "moons", "--out", s.Run, "--overwrite", .. Tiny];
        }, 2, "another process is writing this run"),
    };

    public static TheoryData<string> Names => new(Inputs.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void IsRefusedWithOneLineAndNothingWritten(string name)
    {
        BadInput input = Inputs[name];
        CopyFolder(trained.Path, Path.Combine(root, "run"));
        using var scene = new Scene(root);
        string[] args = input.Arrange(scene);
        Dictionary<string, string> before = Snapshot(root);

        (int code, string output) = InProcessCli.Run(args);

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(code == input.ExitCode && lines.Length == 1, $"{name}: exit {code}, output:\n{output}");
        Assert.StartsWith(input.ExitCode == 2 ? "error: " : "failed: ", lines[0]);
        foreach (string fragment in input.Message) Assert.Contains(fragment, lines[0]);
        scene.Dispose();
        Assert.Equal(before, Snapshot(root));
    }

    /// <summary>
    /// Glow at a learning rate of 10 diverges: the run exits 1 saying so, and the model.bin it keeps (the best model of
    /// its finite validations) loads, with finite weights.
    /// </summary>
    [Fact]
    public void ADivergedRunExitsNonZeroAndKeepsTheLastFiniteBestModel()
    {
        using var scene = new Scene(root);
        string data = scene.File("mnist");
        MnistFolder(data, side: 4);
        string run = scene.NewRun;
        (int code, string output) = InProcessCli.Run(["train", "--model", "glow", "--data", "mnist", "--data-dir", data, "--layers", "1", "--hidden", "4", "--levels", "1",
            "--lr", "10", "--warmup", "0", "--schedule", "constant", "--steps", "200", "--eval-every", "10", "--checkpoint-every", "10", "--batch-size", "8",
            "--threads", "1", "--out", run]);
        Assert.True(code == 1, output);
        Assert.Contains("failed: ", output);
        Assert.Contains("diverged", output);
        Assert.False(File.Exists(Path.Combine(run, "metrics.json")));
        using DensityModel model = ModelStore.Load(run);                      // refuses non-finite weights
        Assert.Empty(FiniteWeights.NonFinite(model));
    }

    private static void PoisonWeights(string run)
    {
        using DensityModel model = ModelStore.Load(run);
        using (TorchSharp.torch.no_grad()) model.parameters().First()[0].fill_(double.NaN);
        ModelStore.Save(model, run);
    }

    private static void EditConfig(string run, string from, string to)
    {
        string path = Path.Combine(run, ModelStore.ConfigFile);
        string text = File.ReadAllText(path);
        Assert.Contains(from, text);
        File.WriteAllText(path, text.Replace(from, to));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Every file and folder under <paramref name="folder"/> with the SHA-256 of its bytes (folders: "folder"; the lock file, which a held lock keeps from being read: "lock").</summary>
    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).ToDictionary(
            e => Path.GetRelativePath(folder, e),
            e => Directory.Exists(e) ? "folder" : Path.GetFileName(e) == RunFolder.LockFile ? "lock" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(e))));
}
