using System.Text;
using System.Text.Json;
using Tractable.Runs;
using Tractable.Data;
using Tractable.Data.Audio;
using Tractable.Data.Images;
using Tractable.IO;
using Tractable.Models;
using Tractable.Models.Pixel;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;
using static Tractable.Fuzzing.SampleFiles;

namespace Tractable.Fuzzing;

/// <summary>Every reader of the library, each with a small valid input built by the library's own writers.</summary>
public static class FuzzTargets
{
    /// <summary>All targets.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("idx (gzip)", "x-idx3-ubyte.gz", d => Write(d, "x-idx3-ubyte.gz", Gzip(Idx(2051, [3, 4, 4], Ramp(48)))),
            d => IdxFile.Read(Path.Combine(d, "x-idx3-ubyte.gz"), 2051)),
        new("idx (raw)", "x-idx1-ubyte", d => Write(d, "x-idx1-ubyte", Idx(2049, [12], Ramp(12))),
            d => IdxFile.Read(Path.Combine(d, "x-idx1-ubyte"), 2049)),
        new("mnist (train images)", "train-images-idx3-ubyte.gz", d => Mnist(d, "train-images-idx3-ubyte.gz"), d => Tractable.Data.Images.Mnist.Load(d)),
        new("mnist (train labels)", "train-labels-idx1-ubyte.gz", d => Mnist(d, "train-labels-idx1-ubyte.gz"), d => Tractable.Data.Images.Mnist.Load(d)),
        new("cifar10 batch", "data_batch_1.bin", d => Write(d, "data_batch_1.bin", Cifar(3)), d => Cifar10.ReadBatch(Path.Combine(d, "data_batch_1.bin"))),
        new("wav", "a.wav", d => Write(d, "a.wav", Wav(200, withList: true)), d => WavFile.Read(Path.Combine(d, "a.wav"))),
        new("speech folder", Path.Combine("speech", "a.wav"), Speech, d => SpeechDataset.Load(Path.Combine(d, "speech"))),
        new("csv", "t.csv", d => Write(d, "t.csv", Csv(6)), d => CsvTable.Load(Path.Combine(d, "t.csv"))),
        new("csv dataset", "t.csv", d => Write(d, "t.csv", Csv(24)), d => DatasetCatalog.Load("csv:" + Path.Combine(d, "t.csv"))),
        ModelJson("model.json (realnvp)", new RealNvpConfig { Features = 3, HiddenFeatures = 16, Couplings = 4, ContextFeatures = 2 }),
        ModelJson("model.json (maf on images)", new MafConfig { Features = 16, Image = new ImageSize(1, 4, 4), Levels = 256, HiddenFeatures = 32, Layers = 2 }),
        ModelJson("model.json (glow)", new GlowConfig { ImageShape = [1, 8, 8], Levels = 2, StepsPerLevel = 2, HiddenChannels = 8, NumClasses = 10 }),
        ModelJson("model.json (pixelcnn++)", new PixelCnnPlusPlusConfig { Height = 8, Width = 8, Filters = 8, BlocksPerResolution = 1, Levels = 256, Dropout = 0.5 }),
        ModelJson("model.json (wavenet)", new WaveNetConfig { Stacks = 1, MaxDilation = 16, ResidualChannels = 8, SkipChannels = 8, SegmentLength = 64 }),
        new("model.bin", ModelStore.WeightsFile, SavedModel, d => ModelStore.Load(d).Dispose()),
        new("run.json", "run.json", d => Write(d, "run.json", Json(RunSpecExample)), d => JsonFiles.Read<RunSpec>(Path.Combine(d, "run.json"))),
        new("state.json", "state.json", d => Write(d, "state.json", Json(new TrainingState { Step = 300, BestValidation = 1.25, TrainSeconds = 12.5 })),
            d => JsonFiles.Read<TrainingState>(Path.Combine(d, "state.json"))),
        .. new[] { "model.bin", "optimizer.bin", "average.bin", "randomness.bin", "state.json", "manifest.json" }.Select(CheckpointFile),
        new("metrics.csv", "metrics.csv", Metrics, d => new MetricsLog(Path.Combine(d, "metrics.csv")).TruncateAfter(50)),
    ];

    private static byte[] Write(string folder, string file, byte[] bytes)
    {
        string path = Path.Combine(folder, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return bytes;
    }

    private static byte[] Ramp(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 37 % 256)).ToArray();

    /// <summary>A whole MNIST folder of 1×1 images (5,001 to train, enough for the validation split); returns the bytes of <paramref name="file"/>.</summary>
    private static byte[] Mnist(string folder, string file)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["train-images-idx3-ubyte.gz"] = Gzip(Idx(2051, [5001, 1, 1], Ramp(5001))),
            ["train-labels-idx1-ubyte.gz"] = Gzip(Idx(2049, [5001], Ramp(5001).Select(b => (byte)(b % 10)).ToArray())),
            ["t10k-images-idx3-ubyte.gz"] = Gzip(Idx(2051, [4, 1, 1], Ramp(4))),
            ["t10k-labels-idx1-ubyte.gz"] = Gzip(Idx(2049, [4], [1, 2, 3, 4])),
        };
        foreach (var (name, bytes) in files) Write(folder, name, bytes);
        return files[file];
    }

    private static byte[] Cifar(int records)
    {
        var bytes = new byte[records * 3073];
        for (int r = 0; r < records; r++)
        {
            bytes[r * 3073] = (byte)(r % 10);
            for (int i = 1; i < 3073; i++) bytes[r * 3073 + i] = (byte)(i * 7 + r);
        }
        return bytes;
    }

    /// <summary>A PCM WAV, optionally with a LIST chunk before the data (as many editors write), so that chunk skipping is exercised.</summary>
    private static byte[] Wav(int samples, bool withList)
    {
        byte[] canonical = WavFile.ToBytes(new WavAudio(Enumerable.Range(0, samples).Select(i => (float)(0.1 * Math.Sin(i * 0.1))).ToArray(), 8000));
        if (!withList) return canonical;
        byte[] list = [.. Encoding.ASCII.GetBytes("LIST"), 6, 0, 0, 0, .. Encoding.ASCII.GetBytes("INFOab")];
        byte[] result = [.. canonical[..36], .. list, .. canonical[36..]];
        BitConverter.GetBytes(result.Length - 8).CopyTo(result, 4);
        return result;
    }

    private static byte[] Speech(string folder)
    {
        Write(folder, Path.Combine("speech", "b.wav"), Wav(400, withList: false));
        Write(folder, Path.Combine("speech", "c.wav"), Wav(500, withList: false));
        return Write(folder, Path.Combine("speech", "a.wav"), Wav(300, withList: true));
    }

    /// <summary>A scikit-learn style table: the header names rows, features and classes, the last column is the label.</summary>
    private static byte[] Csv(int rows)
    {
        var text = new StringBuilder($"{rows},3,a,b\n");
        for (int r = 0; r < rows; r++) text.Append($"{r * 0.5:F1},{(r * r) % 7 - 2.25},{r % 5 + 0.125},{r % 2}\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static byte[] Json<T>(T value) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, JsonFiles.Options));

    private static RunSpec RunSpecExample => new()
    {
        Model = "realnvp", Data = "moons", DataDir = "../shared/data", Crop = 128,
        ModelOptions = new() { ["layers"] = "4", ["hidden"] = "32" },
        Trainer = new TrainerOptions { Steps = 500, BatchSize = 64, LearningRate = 1e-3, EvalEvery = 100, Seed = 3 },
    };

    /// <summary>
    /// The configuration read and checked; one small enough (at most 10⁶ scalars) is also built, so that a
    /// configuration that passes the checks but cannot be built is found too.
    /// </summary>
    private static FuzzTarget ModelJson(string name, ModelConfig config) => new(name, ModelStore.ConfigFile,
        d => Write(d, ModelStore.ConfigFile, Json(config)),
        d =>
        {
            ModelConfig read = ModelStore.ReadConfig(d);
            if (read is IValidatableConfig c && c.EstimatedStateSize() <= 1_000_000) read.Build().Dispose();
        });

    private static readonly RealNvpConfig SmallFlow = new() { Features = 3, HiddenFeatures = 8, Couplings = 2 };

    private static byte[] SavedModel(string folder)
    {
        using DensityModel model = SmallFlow.Build();
        ModelStore.Save(model, folder);
        return File.ReadAllBytes(Path.Combine(folder, ModelStore.WeightsFile));
    }

    /// <summary>A checkpoint with every file (average and randomness included), one of them under test.</summary>
    private static FuzzTarget CheckpointFile(string file) => new($"checkpoint/{file}", Path.Combine(CheckpointStore.FolderName, file),
        d =>
        {
            using DensityModel model = SmallFlow.Build();
            var optimizer = optim.AdamW(model.parameters(), 1e-3);
            using var average = new ParameterAverage(model, 0.9);
            using var randomness = new TrainingRandomness(seed: 4);
            using (var scope = NewDisposeScope())
            {
                (-model.LogProb(ones(4, 3)).mean()).backward();
                optimizer.step();
                average.Update();
            }
            new CheckpointStore(d).Save(model, optimizer, new TrainingState { Step = 1 }, average, randomness);
            return File.ReadAllBytes(Path.Combine(d, CheckpointStore.FolderName, file));
        },
        d =>
        {
            using DensityModel model = SmallFlow.Build();
            var optimizer = optim.AdamW(model.parameters(), 1e-3);
            using var average = new ParameterAverage(model, 0.9);
            using var randomness = new TrainingRandomness();
            var store = new CheckpointStore(d);
            store.Load(model, optimizer);
            store.LoadAverage(average);
            store.LoadRandomness(randomness);
        });

    private static byte[] Metrics(string folder)
    {
        string path = Path.Combine(folder, "metrics.csv");
        File.Delete(path);
        var log = new MetricsLog(path);
        for (int step = 25; step <= 100; step += 25) log.Append(step, 1.5 / step, 1e-3, step % 50 == 0 ? 0.75 : null, step * 0.1, 0);
        return File.ReadAllBytes(path);
    }
}
