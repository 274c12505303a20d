using System.Globalization;
using Tractable.Cli;
using Tractable.Models;
using Tractable.Runs;
using Tractable.Tests.Support;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Tests.Runs;

/// <summary>
/// The TensorBoard event files of a training run, read back record by record: the scalar tags, their values against
/// <c>metrics.csv</c> in the results' units, and the samples written at each validation.
/// </summary>
[Collection(Sequential.Name)]
public sealed class TensorBoardTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static readonly TrainerOptions Short = new()
    {
        Steps = 20, BatchSize = 4, EvalEvery = 10, LogEvery = 5, WarmupSteps = 0, CheckpointEvery = 0,
        ProgressInterval = TimeSpan.FromHours(1),   // only the logged steps report, so events and metrics.csv rows pair up
    };

    [Fact]
    public void VectorRunsLogLossLearningRateSpeedAndValidationInNats()
    {
        (List<Tensorboard.Event> events, List<Row> rows, _) = Train("realnvp");
        Assert.Equal(rows.Where(r => r.Loss is not null).Select(r => (long)r.Step), EventFile.Scalars(events, "train/loss_nats").Select(s => s.Step));
        AssertMatches(rows.Where(r => r.Loss is not null).Select(r => r.Loss!.Value), EventFile.Scalars(events, "train/loss_nats"));
        AssertMatches(rows.Select(r => r.LearningRate), EventFile.Scalars(events, "train/learning_rate"));
        Assert.All(EventFile.Scalars(events, "train/steps_per_second"), s => Assert.True(s.Value > 0));
        var validation = EventFile.Scalars(events, "validation/nll_nats");
        Assert.Equal([10L, 20L], validation.Select(v => v.Step));
        AssertMatches(rows.Where(r => r.Validation is not null).Select(r => r.Validation!.Value), validation);
        Assert.DoesNotContain(events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value), v => v.Image is not null);
    }

    [Fact]
    public void ImageRunsLogBitsPerDimAndASampleGridAtEachValidation()
    {
        (List<Tensorboard.Event> events, List<Row> rows, ModelConfig config) = Train("glow");
        double natsPerBit = config.EventShape.Aggregate(1L, (a, b) => a * b) * Math.Log(2);
        AssertMatches(rows.Where(r => r.Validation is not null).Select(r => r.Validation!.Value / natsPerBit), EventFile.Scalars(events, "validation/nll_bits_per_dim"));
        AssertMatches(rows.Where(r => r.Loss is not null).Select(r => r.Loss!.Value / natsPerBit), EventFile.Scalars(events, "train/loss_bits_per_dim"));
        var grids = EventFile.Images(events, "samples");
        Assert.Equal([10L, 20L], grids.Select(g => g.Step));
        // 16 samples of 4x4 in a 4x4 grid, each drawn 96 pixels across (scale 24), with 8 pixels of padding: 4 * (96 + 8) + 8.
        Assert.All(grids, g => Assert.Equal((424, 424), (g.Width, g.Height)));
    }

    [Fact]
    public void AudioRunsLogBitsPerSampleASpectrogramAndTheClip()
    {
        (List<Tensorboard.Event> events, List<Row> rows, _) = Train("wavenet", audioSeconds: 0.05);
        AssertMatches(rows.Where(r => r.Validation is not null).Select(r => r.Validation!.Value / Math.Log(2)), EventFile.Scalars(events, "validation/nll_bits_per_sample"));
        Assert.Equal([10L, 20L], EventFile.Images(events, "samples/spectrogram").Select(g => g.Step));
        Assert.True(File.Exists(folder.File("tb/samples/step-0000020.wav")));
    }

    [Fact]
    public void TheTrainCommandWritesEventFilesWhereAsked()
    {
        string logDir = folder.File("tb-cli");
        Assert.Equal(0, TractableCli.Run(["train", "--model", "realnvp", "--data", "moons", "--layers", "2", "--hidden", "8", "--steps", "20",
            "--eval-every", "10", "--threads", "1", "--out", folder.File("run"), "--tensorboard", logDir]));
        List<Tensorboard.Event> events = EventFile.ReadAll(logDir);
        Assert.Equal([10L, 20L], EventFile.Scalars(events, "validation/nll_nats").Select(v => v.Step));
        Assert.Equal(2, TractableCli.Run(["train", "--model", "realnvp", "--data", "moons", "--layers", "-1", "--out", folder.File("bad"), "--tensorboard", folder.File("tb-bad")]));
        Assert.False(Directory.Exists(folder.File("tb-bad")), "bad input writes nothing, event files included");
    }

    private (List<Tensorboard.Event> Events, List<Row> Rows, ModelConfig Config) Train(string name, double audioSeconds = 1)
    {
        ModelKind kind = ModelRegistry.Find(name);
        RunData data = TinyKinds.Data(kind, folder);
        var spec = new RunSpec { Model = name, Data = data.Name, ModelOptions = TinyKinds.Options(kind), Trainer = Short };
        string run = folder.File("run");
        TrainingRun training = TrainingRun.Prepare(spec, run, resume: false, data);
        training.Train(tensorBoard: new TensorBoardLogger(folder.File("tb")) { AudioSeconds = audioSeconds });
        return (EventFile.ReadAll(folder.File("tb")), Row.Read(Path.Combine(run, RunSetup.CurveFile)), training.Config);
    }

    /// <summary>Event values equal the CSV's (written to 6 significant digits), in order.</summary>
    private static void AssertMatches(IEnumerable<double> expected, IEnumerable<(long Step, float Value)> actual)
    {
        double[] e = expected.ToArray();
        float[] a = actual.Select(s => s.Value).ToArray();
        Assert.Equal(e.Length, a.Length);
        Assert.NotEmpty(e);
        for (int i = 0; i < e.Length; i++) Assert.Equal(e[i], a[i], Math.Abs(e[i]) * 1e-5 + 1e-7);
    }

    /// <summary>A row of <c>metrics.csv</c>.</summary>
    private sealed record Row(int Step, double? Loss, double LearningRate, double? Validation)
    {
        public static List<Row> Read(string path)
        {
            string[] lines = File.ReadAllLines(path);
            string[] header = lines[0].Split(',');
            int Column(string name) => Array.IndexOf(header, name);
            double? Cell(string[] cells, string name) => cells[Column(name)] is { Length: > 0 } s ? double.Parse(s, CultureInfo.InvariantCulture) : null;
            return lines.Skip(1).Select(l => l.Split(','))
                .Select(c => new Row(int.Parse(c[Column("step")], CultureInfo.InvariantCulture), Cell(c, "loss"), Cell(c, "lr")!.Value, Cell(c, "val_loss")))
                .ToList();
        }
    }
}
