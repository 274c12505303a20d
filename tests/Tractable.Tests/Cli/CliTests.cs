using System.Text.Json;
using Tractable.Cli;
using Tractable.Tests.Support;

namespace Tractable.Tests.Cli;

/// <summary>The command line end to end, in process: outputs, exit codes, and clear failures on bad input.</summary>
[Collection(Support.Sequential.Name)]
public sealed class CliTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private string P(string name) => folder.File(name);

    private static readonly string[] Quick = ["--steps", "30", "--eval-every", "10", "--checkpoint-every", "10", "--threads", "1"];

    private static int Run(params string[] args) => TractableCli.Run(args);

    private static JsonElement ReadJson(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [Fact]
    public void TrainEvalSampleEndToEnd()
    {
        string run = P("run");
        Assert.Equal(0, Run(["train", "--model", "realnvp", "--data", "8gaussians", "--out", run, "--layers", "2", "--hidden", "16", .. Quick]));
        foreach (string file in new[] { "run.json", "model.json", "model.bin", "metrics.csv", "metrics.json", "checkpoint/state.json" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"missing {file}");

        JsonElement m = ReadJson(Path.Combine(run, "metrics.json"));
        foreach (string key in new[] { "model", "dataset", "split", "nll_nats", "true_nll_nats", "bits_per_dim", "num_examples", "train_steps", "train_seconds", "parameters" })
            Assert.True(m.TryGetProperty(key, out _), $"metrics.json lacks {key}");
        Assert.Equal("realnvp", m.GetProperty("model").GetString());
        Assert.Equal(30, m.GetProperty("train_steps").GetInt32());
        Assert.Equal(JsonValueKind.Null, m.GetProperty("bits_per_dim").ValueKind);
        Assert.True(m.GetProperty("true_nll_nats").GetDouble() > 2.5);

        string evalOut = P("eval");
        Assert.Equal(0, Run("eval", "--run", run, "--split", "validation", "--out", evalOut));
        JsonElement e = ReadJson(Path.Combine(evalOut, "metrics.json"));
        Assert.Equal("validation", e.GetProperty("split").GetString());
        Assert.Equal(3000, e.GetProperty("num_examples").GetInt32());

        Assert.Equal(0, Run("sample", "--run", run, "-n", "123", "--seed", "4", "--out", P("s.csv")));
        string[] rows = File.ReadAllLines(P("s.csv"));
        Assert.Equal(1 + 123, rows.Length);
        Assert.Equal("x1,x2", rows[0]);                                          // toy data has no column names
        Assert.All(rows, r => Assert.Equal(2, r.Split(',').Length));
        Assert.Equal(0, Run("sample", "--run", run, "-n", "123", "--seed", "4", "--out", P("t.csv")));
        Assert.Equal(rows, File.ReadAllLines(P("t.csv")));                      // --seed makes sampling reproducible

        Assert.Equal(0, Run("sample", "--run", run, "-n", "500", "--out", P("s.png")));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(P("s.png")).Take(4).ToArray());

        Assert.Equal(0, Run("curve", "--run", run, "--out", P("curve.png")));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(P("curve.png")).Take(4).ToArray());
        Assert.Equal(3, Tractable.Cli.Commands.CurveCommand.ReadCurve(Path.Combine(run, "metrics.csv"), "step", Tractable.Runs.LikelihoodScale.Nats).Validation.Count);
    }

    [Fact]
    public void ConfigFileIsEquivalentToFlags()
    {
        File.WriteAllText(P("cfg.json"), """{"model": "nice", "data": "moons", "layers": 2, "hidden": 8, "steps": 20, "eval-every": 10, "threads": 1}""");
        Assert.Equal(0, Run("train", "--config", P("cfg.json"), "--out", P("a")));
        Assert.Equal(0, Run("train", "--model", "nice", "--data", "moons", "--layers", "2", "--hidden", "8", "--steps", "20", "--eval-every", "10", "--threads", "1", "--out", P("b")));
        double a = ReadJson(P("a/metrics.json")).GetProperty("nll_nats").GetDouble();
        double b = ReadJson(P("b/metrics.json")).GetProperty("nll_nats").GetDouble();
        Assert.Equal(a, b, 6);
    }

    [Fact]
    public void AveragingAndTheFinalLearningRateComeFromFlagsOrTheConfigFile()
    {
        File.WriteAllText(P("ema.json"), """{"model": "nice", "data": "moons", "layers": 2, "hidden": 8, "steps": 20, "eval-every": 10, "threads": 1, "ema": 0.9, "min-lr-factor": 0}""");
        Assert.Equal(0, Run("train", "--config", P("ema.json"), "--out", P("a")));
        Assert.Equal(0, Run("train", "--model", "nice", "--data", "moons", "--layers", "2", "--hidden", "8", "--steps", "20", "--eval-every", "10", "--threads", "1",
            "--ema", "0.9", "--min-lr-factor", "0", "--out", P("b")));
        foreach (string run in new[] { "a", "b" })
        {
            JsonElement trainer = ReadJson(P($"{run}/run.json")).GetProperty("trainer");
            Assert.Equal(0.9, trainer.GetProperty("average_decay").GetDouble());
            Assert.Equal(0, trainer.GetProperty("min_learning_rate_factor").GetDouble());
            Assert.True(File.Exists(P($"{run}/checkpoint/average.bin")));
        }
        Assert.Equal(ReadJson(P("a/metrics.json")).GetProperty("nll_nats").GetDouble(), ReadJson(P("b/metrics.json")).GetProperty("nll_nats").GetDouble(), 6);
    }

    [Fact]
    public void ResumeFromTheCommandLineContinuesTheRun()
    {
        string run = P("r");
        Assert.Equal(0, Run(["train", "--model", "realnvp", "--data", "moons", "--out", run, "--layers", "2", "--hidden", "8", .. Quick]));
        Assert.Equal(2, Run(["train", "--model", "realnvp", "--data", "moons", "--out", run, .. Quick]));   // refuses to overwrite
        Assert.Equal(0, Run("train", "--out", run, "--resume", "--steps", "50", "--threads", "1"));
        string last = File.ReadAllLines(Path.Combine(run, "metrics.csv"))[^1];
        Assert.StartsWith("50,", last);
        Assert.Equal(50, ReadJson(Path.Combine(run, "metrics.json")).GetProperty("train_steps").GetInt32());
        Assert.Equal(0, Run("train", "--out", run, "--resume", "--steps", "60", "--max-minutes", "30", "--threads", "1"));
        Assert.Equal(30, ReadJson(Path.Combine(run, "run.json")).GetProperty("trainer").GetProperty("max_minutes").GetDouble());
        Assert.Equal(60, ReadJson(Path.Combine(run, "metrics.json")).GetProperty("train_steps").GetInt32());
    }

    [Fact]
    public void PlanarFitsAnEnergyFromTheCommandLine()
    {
        string run = P("u1");
        Assert.Equal(0, Run(["train", "--model", "planar", "--data", "u1", "--layers", "4", "--out", run, .. Quick]));
        JsonElement m = ReadJson(Path.Combine(run, "metrics.json"));
        Assert.Equal(JsonValueKind.Null, m.GetProperty("nll_nats").ValueKind);
        Assert.True(m.GetProperty("reverse_kl_nats").GetDouble() > 0);
        Assert.Equal(0, Run("sample", "--run", run, "-n", "200", "--out", P("u1.png")));
    }

    public static IEnumerable<object[]> BadTrainingInputs =>
    [
        [new[] { "--model", "glowing", "--data", "moons" }, "Unknown model 'glowing'"],
        [new[] { "--model", "realnvp", "--data", "mooons" }, "Unknown dataset"],
        [new[] { "--model", "realnvp", "--data", "csv:/nonexistent/table.csv" }, "not found"],
        [new[] { "--model", "planar", "--data", "moons" }, "reverse KL"],
        [new[] { "--model", "realnvp", "--data", "moons", "--steps", "many" }, "integer"],
        [new[] { "--model", "realnvp", "--data", "moons", "--stepz", "3" }, "Unknown option --stepz"],
        [new[] { "--model", "realnvp", "--data", "moons", "--device", "tpu" }, "Unknown device"],
        [new[] { "--model", "realnvp", "--data", "moons", "--ema", "1" }, "--ema"],
        [new[] { "--model", "realnvp", "--data", "moons", "--min-lr-factor", "2" }, "--min-lr-factor"],
        [new[] { "--model", "glow", "--data", "moons", "--batch-norm", "true" }, "--batch-norm is not an option of model 'glow'"],
        [new[] { "--model", "glow", "--data", "moons", "--activation", "tanh" }, "--activation is not an option of model 'glow'"],
        [new[] { "--model", "realnvp", "--data", "moons", "--crop", "100" }, "--crop is not an option of model 'realnvp'"],
        [new[] { "--model", "realnvp", "--data", "moons", "--activation", "sigmoidal" }, "--activation"],
        [new[] { "--model", "realnvp", "--data", "moons", "--layers", "0" }, "--layers"],
        [new[] { "--model", "realnvp", "--data", "moons", "--hidden", "-3" }, "--hidden"],
        [new[] { "--model", "maf", "--data", "moons", "--conditional", "true" }, "--conditional"],
        [new[] { "--model", "realnvp", "--data", "moons", "--lr", "Infinity" }, "--lr"],
        [new[] { "--model", "realnvp", "--data", "moons", "--clip", "-1" }, "--clip"],
        [new[] { "--model", "wavenet", "--data", "moons" }, "audio"],
    ];

    [Fact]
    public void ZeroThreadsIsRefused()
    {
        string text = Capture(() => Assert.Equal(2, Run("train", "--model", "realnvp", "--data", "moons", "--out", P("t0"), "--threads", "0")));
        Assert.Contains("--threads", text);
        Assert.False(Directory.Exists(P("t0")));
    }

    [Theory]
    [InlineData("glow", "--levels", "flow steps per level")]
    [InlineData("wavenet", "--crop", "stacks of dilations")]
    [InlineData("maf", "--batch-norm", "40000")]
    public void TrainHelpForAModelListsItsOwnOptionsAndDefaults(string model, string ownOption, string expected)
    {
        string text = Capture(() => Assert.Equal(0, Run("train", "--model", model, "--help")));
        Assert.Contains(ownOption, text);
        Assert.Contains(expected, text);
        Assert.DoesNotContain("--dropout", text);
    }

    [Fact]
    public void OptionsOfAResumedRunCannotChange()
    {
        string run = P("resume-fixed");
        Assert.Equal(0, Run(["train", "--model", "nice", "--data", "moons", "--out", run, "--layers", "2", "--hidden", "8", .. Quick]));
        string before = File.ReadAllText(Path.Combine(run, "run.json"));
        string text = Capture(() => Assert.Equal(2, Run("train", "--out", run, "--resume", "--lr", "0.1")));
        Assert.Contains("--lr cannot change a resumed run", text);
        Assert.Equal(before, File.ReadAllText(Path.Combine(run, "run.json")));
    }

    /// <summary>What <paramref name="action"/> prints, on one line (Spectre wraps long messages in tests).</summary>
    private static string Capture(Action action) => ConsoleCapture.Of(action).Replace("\n", " ");

    [Theory]
    [MemberData(nameof(BadTrainingInputs))]
    public void BadInputFailsClearlyAndWritesNothing(string[] args, string expected)
    {
        string run = P("bad");
        string output = Capture(() => Assert.Equal(2, Run(["train", .. args, "--out", run, "--threads", "1"])));
        Assert.Contains(expected, output);
        Assert.False(Directory.Exists(run), "a failed start must not leave a run folder");
    }

    [Fact]
    public void NaNRowsInACsvFailWithFileRowAndColumn()
    {
        File.WriteAllText(P("nan.csv"), "1,2,3\n4,5,6\n7,nan,9\n");
        string output = Capture(() => Assert.Equal(2, Run("train", "--model", "realnvp", "--data", "csv:" + P("nan.csv"), "--out", P("nan-run"))));
        Assert.Contains("nan.csv: row 3, column 2", output);
        Assert.False(Directory.Exists(P("nan-run")));
    }

    [Fact]
    public void EvaluatingOnDataOfAnotherDimensionIsAClearError()
    {
        string run = P("dim");
        Assert.Equal(0, Run(["train", "--model", "realnvp", "--data", "moons", "--out", run, "--layers", "2", "--hidden", "8", .. Quick]));
        var rows = Enumerable.Range(0, 40).Select(i => $"{i},{i * 2 % 7},{i % 3}");
        File.WriteAllLines(P("three.csv"), rows);
        string before = File.ReadAllText(Path.Combine(run, "metrics.json"));
        Assert.Equal(2, Run("eval", "--run", run, "--data", "csv:" + P("three.csv")));
        Assert.Equal(before, File.ReadAllText(Path.Combine(run, "metrics.json")));
    }

    [Fact]
    public void EveryCommandHasHelp()
    {
        foreach (var command in TractableCli.Commands) Assert.Equal(0, Run(command.Name, "--help"));
        Assert.Equal(2, Run("frobnicate"));
        Assert.Equal(2, Run("eval", "--run", P("no-such-run")));
    }
}
