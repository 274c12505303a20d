using System.Globalization;
using System.Text.RegularExpressions;
using Tractable.Cli;
using Tractable.Data;
using Tractable.IO;
using Tractable.Models;
using Tractable.Runs;
using Tractable.Tests.Support;
using Tractable.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Tractable.Tests.IO;

/// <summary>
/// Weights through PyTorch's <c>.pt</c> format: every kind exports and imports back to the same log-probabilities;
/// files of another model are refused with the names that do not fit; and the PyTorch modules of docs/pytorch load an
/// exported RealNVP and Glow and compute the same log-probabilities (where python3 has torch).
/// </summary>
[Collection(Sequential.Name)]
public sealed class PyTorchExchangeTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> Kinds => TinyKinds.Names;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindRoundTripsThroughAPyTorchFile(string name)
    {
        (ModelKind kind, RunData data, ModelConfig config) = Tiny(name);
        DensityModel original = Randomized(kind, data, config, seed: 1);
        string file = folder.File("model.pt");
        PyTorchExchange.Export(original, file);

        DensityModel imported = Randomized(kind, data, config, seed: 2);
        Tensor before = LogProbs(imported, data);
        PyTorchExchange.Import(imported, file);

        var expected = original.state_dict();
        var actual = imported.state_dict();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, value) in expected)
            Assert.True(value.allclose(actual[key], 0, 0), $"{name}: '{key}' differs after the round trip");
        Tensor reference = LogProbs(original, data);
        Assert.False(before.allclose(reference), "a model of other weights has other log-probabilities, so the check can fail");
        Assert.True(LogProbs(imported, data).allclose(reference, 0, 0), $"{name}: log-probabilities differ after the round trip");
    }

    [Fact]
    public void AFileOfAnotherModelIsRefusedAndChangesNothing()
    {
        string file = folder.File("small.pt");
        PyTorchExchange.Export(new RealNvpConfig { Couplings = 2, HiddenFeatures = 8 }.Build(), file);
        DensityModel deeper = new RealNvpConfig { Couplings = 3, HiddenFeatures = 8 }.Build();
        Tensor weight = deeper.parameters().First().detach().clone();
        var e = Assert.Throws<DataFormatException>(() => PyTorchExchange.Import(deeper, file));
        Assert.Contains("missing", e.Message);
        Assert.Contains("transform.steps.2.", e.Message);
        Assert.True(deeper.parameters().First().allclose(weight, 0, 0), "a refused file leaves the model as it was");

        var wider = Assert.Throws<DataFormatException>(() => PyTorchExchange.Import(new RealNvpConfig { Couplings = 2, HiddenFeatures = 16 }.Build(), file));
        Assert.Contains("has shape [8, 2], the model's is [16, 2]", wider.Message);
    }

    [Fact]
    public void AFileThatIsNotAStateDictIsRefused()
    {
        string file = folder.File("noise.pt");
        File.WriteAllBytes(file, [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 37))]);
        var e = Assert.Throws<DataFormatException>(() => PyTorchExchange.Import(new RealNvpConfig().Build(), file));
        Assert.Contains("not a PyTorch state dict", e.Message);
    }

    [Fact]
    public void TheReferenceBatchRecordsTheNoiseTheLogProbabilitiesWereComputedWith()
    {
        (ModelKind kind, RunData data, ModelConfig config) = Tiny("glow");
        DensityModel model = Randomized(kind, data, config, seed: 1);
        Split test = ((ExampleData)data).Splits.Test;
        string file = folder.File("reference.pt");
        PyTorchExchange.WriteReference(model, test, 5, file, seed: 7);

        var reference = PyTorchUnpickler.UnpickleStateDict(file);
        var x = (Tensor)reference["x"]!;
        var noise = (Tensor)reference["noise"]!;
        var logProb = (Tensor)reference["log_prob"]!;
        Assert.Equal([5L, .. config.EventShape], x.shape);
        Assert.True(x.allclose(test.X.narrow(0, 0, 5), 0, 0));
        Assert.True(noise.ge(0).all().item<bool>() && noise.lt(1).all().item<bool>(), "dequantization noise is uniform on [0, 1)");
        Assert.False(reference.ContainsKey("labels"), "an unconditional model needs no labels");
        using (no_grad())
        {
            manual_seed(7);
            Assert.True(model.LogProb(x).allclose(logProb, 0, 0), "the same seed gives the recorded log-probabilities");
            manual_seed(8);
            Assert.False(model.LogProb(x).allclose(logProb), "other noise gives others, so the noise must be recorded");
        }
    }

    [Fact]
    public void ExportAndImportFromTheCommandLine()
    {
        string run = folder.File("run"), copy = folder.File("copy");
        Assert.Equal(0, TractableCli.Run(["train", "--model", "realnvp", "--data", "moons", "--layers", "2", "--hidden", "8", "--steps", "10",
            "--eval-every", "10", "--threads", "1", "--out", run]));
        Assert.Equal(0, TractableCli.Run(["export", "--run", run, "--out", folder.File("moons.pt"), "--reference", folder.File("check.pt"), "-n", "16"]));
        Assert.Equal(16, ((Tensor)PyTorchUnpickler.UnpickleStateDict(folder.File("check.pt"))["log_prob"]!).shape[0]);
        Assert.Equal(0, TractableCli.Run(["import", "--run", run, "--from", folder.File("moons.pt"), "--out", copy]));
        Assert.True(File.Exists(Path.Combine(copy, RunSetup.SpecFile)), "the copy carries run.json, so eval and sample work on it");
        Assert.Equal(0, TractableCli.Run(["eval", "--run", copy, "--threads", "1"]));

        Assert.Equal(2, TractableCli.Run(["export", "--run", run, "--out", folder.File("moons.bin")]));
        Assert.Equal(2, TractableCli.Run(["import", "--run", run, "--from", folder.File("absent.pt")]));
        Assert.Equal(0, TractableCli.Run(["train", "--model", "realnvp", "--data", "moons", "--layers", "3", "--hidden", "8", "--steps", "10",
            "--eval-every", "10", "--threads", "1", "--out", folder.File("other")]));
        Assert.Equal(2, TractableCli.Run(["import", "--run", folder.File("other"), "--from", folder.File("moons.pt")]));
    }

    [PythonTorchFact]
    public void ThePyTorchRealNvpOfTheDocsComputesTheSameLogProbabilities() => CheckWithPyTorch("realnvp");

    [PythonTorchFact]
    public void ThePyTorchGlowOfTheDocsComputesTheSameLogProbabilities() => CheckWithPyTorch("glow");

    /// <summary>Exports a randomized tiny model with a reference batch and runs docs/pytorch/check.py on them.</summary>
    private void CheckWithPyTorch(string name)
    {
        (ModelKind kind, RunData data, ModelConfig config) = Tiny(name);
        // The documented PyTorch Glow has the masked coupling of Glow models saved before the paper's split coupling.
        if (config is GlowConfig glow) config = glow with { CouplingLayout = CouplingLayout.Masked };
        DensityModel model = Randomized(kind, data, config, seed: 1);
        model.Save(folder);
        PyTorchExchange.Export(model, folder.File("model.pt"));
        PyTorchExchange.WriteReference(model, ((ExampleData)data).Splits.Test, 8, folder.File("reference.pt"));
        string script = Path.Combine(Repository.Root, "docs", "pytorch", "check.py");
        (int exit, string output) = Python.Run($"\"{script}\" \"{folder.File("model.json")}\" \"{folder.File("model.pt")}\" \"{folder.File("reference.pt")}\"",
            TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, $"{name}: {output}");
        Match m = Regex.Match(output, @"max \|Δ log p\| = (\S+) nats");
        Assert.True(m.Success, output);
        Assert.InRange(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 0, 1e-3);
    }

    private (ModelKind Kind, RunData Data, ModelConfig Config) Tiny(string name)
    {
        ModelKind kind = ModelRegistry.Find(name);
        RunData data = TinyKinds.Data(kind, folder);
        return (kind, data, kind.CreateConfig(data.Shape, TinyKinds.Options(kind)));
    }

    /// <summary>A model initialized from the data (ActNorm, standardization) with every parameter moved off its initial value.</summary>
    private static DensityModel Randomized(ModelKind kind, RunData data, ModelConfig config, long seed)
    {
        manual_seed(seed);
        DensityModel model = config.Build();
        using var generator = new Generator((ulong)seed);
        kind.CreateObjective(data, new RunSpec { Model = kind.Name, Data = data.Name }, CPU).Initialize(model, generator);
        using var _ = no_grad();
        foreach (var p in model.parameters()) p.add_(randn(p.shape, generator: generator) * 0.05);
        model.eval();
        return model;
    }

    /// <summary>The model's log-probabilities of fixed inputs: test examples (same dequantization noise), audio crops, or its own samples.</summary>
    private static Tensor LogProbs(DensityModel model, RunData data)
    {
        using var _ = no_grad();
        switch (data)
        {
            case ExampleData examples:
                Split test = examples.Splits.Test;
                manual_seed(5);
                return model.LogProb(test.X, test.Labels is null ? null : model.ContextFromLabels(test.Labels));
            case SequenceData audio:
                using (var g = new Generator(4))
                    return model.LogProb(SequenceMaximumLikelihood.Crops(audio.Speech.Train, 2, model.Config.EventShape[0], g));
            default:
                using (var g = new Generator(6))
                    return ((Flow)model).SampleWithLogProb(8, generator: g).logProb;
        }
    }
}
