using Tractable.Data;
using Tractable.Evaluation;
using Tractable.IO;
using Tractable.Models;
using Tractable.Runs;
using Tractable.Tests.Support;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Runs;

/// <summary>
/// Every registered kind, driven only through its <see cref="ModelKind"/>: a tiny configuration trains one step, is
/// saved, loads back with the same log-probabilities, is evaluated and sampled. A new kind is covered by registering it.
/// </summary>
[Collection(Support.Sequential.Name)]
public sealed class ModelRegistryTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-kinds-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string> Kinds => TinyKinds.Names;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindTrainsSavesLoadsEvaluatesAndSamples(string name)
    {
        ModelKind kind = ModelRegistry.Find(name);
        RunData data = TinyKinds.Data(kind, folder);
        var spec = new RunSpec { Model = name, Data = data.Name, ModelOptions = TinyKinds.Options(kind) };
        ModelConfig config = kind.CreateConfig(data.Shape, spec.ModelOptions);
        Assert.IsType(kind.ConfigType, config);
        Assert.Same(kind, ModelRegistry.KindOf(config));

        string run = Path.Combine(folder, name.Replace("+", "p"));
        manual_seed(1);
        DensityModel model = config.Build();
        ITrainingObjective objective = kind.CreateObjective(data, spec, CPU);
        TrainResult result = new Trainer(new TrainerOptions { Steps = 1, BatchSize = 4, EvalEvery = 1, WarmupSteps = 0 }, run)
            .Fit(model, objective, CPU);
        Assert.Equal(1, result.Steps);

        DensityModel loaded = ModelStore.Load(run);
        Assert.Equal(JsonSerializer(config), JsonSerializer(loaded.Config));
        RunMetrics metrics = RunEvaluation.Evaluate(loaded, data, SplitName.Test, CPU, result);
        Assert.Equal(name, metrics.Model);
        Assert.True(double.IsFinite(metrics.NllNats ?? metrics.ReverseKlNats!.Value));

        DrawnSamples samples = kind.Draw(loaded, new SampleRequest { Count = 2, Seed = 3, Seconds = 0.005 }, CPU);
        Assert.Equal(kind.OutputOf(config), samples.Output);
        Assert.True(samples.Values.isfinite().all().item<bool>());
        DrawnSamples again = kind.Draw(loaded, new SampleRequest { Count = 2, Seed = 3, Seconds = 0.005 }, CPU);
        Assert.True(samples.Values.allclose(again.Values, 0, 0), "the same seed draws the same samples");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindRefusesAnOptionItDoesNotHave(string name)
    {
        ModelKind kind = ModelRegistry.Find(name);
        string foreign = ModelRegistry.Kinds.SelectMany(k => k.Options).Select(o => o.Name).Append("frobnicate")
            .First(o => kind.FindOption(o) is null);
        var e = Assert.Throws<InvalidSettingException>(() => kind.CreateConfig(kind.TypicalData, new Dictionary<string, string> { [foreign] = "1" }));
        Assert.Equal(foreign, e.Setting);
        Assert.Contains(name, e.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryOptionShowsItsDefaultAndRefusesNonsense(string name)
    {
        ModelKind kind = ModelRegistry.Find(name);
        ModelConfig defaults = kind.DefaultConfig(kind.TypicalData);
        foreach (ModelOption option in kind.Options)
        {
            string shown = option.DefaultText(defaults);
            Assert.False(string.IsNullOrEmpty(shown), $"{name} --{option.Name} shows no default");
            // The default, given back as a value, leaves the configuration as it was.
            if (option.Name != "conditional" || kind.TypicalData.NumClasses > 0)
                Assert.Equal(JsonSerializer(defaults), JsonSerializer(option.Apply(defaults, shown, kind.TypicalData)));
            Assert.ThrowsAny<InvalidSettingException>(() => option.Apply(defaults, "nonsense", kind.TypicalData));
            if (option.Type == OptionValueType.Integer) Assert.ThrowsAny<InvalidSettingException>(() => option.Apply(defaults, "-3", kind.TypicalData));
        }
    }

    [Fact]
    public void ModelJsonNamesComeFromTheRegistry()
    {
        foreach (ModelKind kind in ModelRegistry.Kinds)
        {
            string json = System.Text.Json.JsonSerializer.Serialize<ModelConfig>(kind.DefaultConfig(kind.TypicalData), JsonFiles.Options);
            Assert.Equal(kind.ConfigName, System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("model").GetString());
        }
    }

    private static string JsonSerializer(ModelConfig config) => System.Text.Json.JsonSerializer.Serialize(config, JsonFiles.Options);
}
