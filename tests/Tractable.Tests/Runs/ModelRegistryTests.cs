using System.Globalization;
using Tractable.Data;
using Tractable.Data.Audio;
using Tractable.Data.Energy;
using Tractable.Evaluation;
using Tractable.IO;
using Tractable.Models;
using Tractable.Runs;
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

    public static TheoryData<string> Kinds => new(ModelRegistry.Names);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindTrainsSavesLoadsEvaluatesAndSamples(string name)
    {
        ModelKind kind = ModelRegistry.Find(name);
        RunData data = TinyDataFor(kind);
        var spec = new RunSpec { Model = name, Data = data.Name, ModelOptions = TinyOptions(kind) };
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

    /// <summary>Small sizes: every whole-number option whose default is above 2 set to 2 (features that are off stay off).</summary>
    private static Dictionary<string, string> TinyOptions(ModelKind kind)
    {
        ModelConfig defaults = kind.DefaultConfig(kind.TypicalData);
        return kind.Options
            .Where(o => o.Type == OptionValueType.Integer && int.Parse(o.DefaultText(defaults), CultureInfo.InvariantCulture) > 2)
            .ToDictionary(o => o.Name, _ => "2");
    }

    /// <summary>Tiny data of the kind the model accepts, shaped like its typical data.</summary>
    private RunData TinyDataFor(ModelKind kind)
    {
        if (kind.Accepts.HasFlag(DataKind.Examples))
        {
            DataShape typical = kind.TypicalData;
            using var g = new Generator(5);
            Split Draw(long n) => typical.EventShape.Length == 3
                ? new Split(randint(0, typical.Levels!.Value, [n, typical.EventShape[0], 4, 4], generator: g).to(float32), randint(0, 2, [n], generator: g))
                : new Split(randn([n, typical.Features], generator: g), randint(0, 2, [n], generator: g));
            return new ExampleData(new DataSplits("tiny", Draw(16), Draw(8), Draw(8)) { NumClasses = 2, Levels = typical.Levels });
        }
        if (kind.Accepts.HasFlag(DataKind.Sequences))
        {
            string root = Path.Combine(folder, "speech");
            for (int i = 0; i < 6; i++)
                WavFile.Write(Path.Combine(root, $"f{i}.wav"), new WavAudio(
                    Enumerable.Range(0, 400).Select(t => (short)(6000 * Math.Sin(t * (0.05 + 0.01 * i)))).ToArray(), 8000));
            return new SequenceData(SpeechDataset.Load(root), 64);
        }
        return new EnergyData(PotentialEnergy.Find("u1")!);
    }
}
