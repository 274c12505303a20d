using System.Globalization;
using Tractable.Data;
using Tractable.Data.Audio;
using Tractable.Data.Energy;
using Tractable.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Support;

/// <summary>The smallest model of every kind, and tiny data of the kind each accepts, for tests that go over every kind.</summary>
public static class TinyKinds
{
    /// <summary>Every registered kind's name, as theory data.</summary>
    public static TheoryData<string> Names => new(ModelRegistry.Names);

    /// <summary>Small sizes: every whole-number option whose default is above 2 set to 2 (features that are off stay off).</summary>
    public static Dictionary<string, string> Options(ModelKind kind)
    {
        Tractable.Models.ModelConfig defaults = kind.DefaultConfig(kind.TypicalData);
        return kind.Options
            .Where(o => o.Type == OptionValueType.Integer && int.Parse(o.DefaultText(defaults), CultureInfo.InvariantCulture) > 2)
            .ToDictionary(o => o.Name, _ => "2");
    }

    /// <summary>Tiny data of the kind <paramref name="kind"/> accepts, shaped like its typical data; audio files go under <paramref name="folder"/>.</summary>
    public static RunData Data(ModelKind kind, string folder)
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
            Tractable.Fuzzing.SampleFiles.SpeechFolder(root, files: 6, samples: 400);
            return new SequenceData(SpeechDataset.Load(root), 64);
        }
        return new EnergyData(PotentialEnergy.Find("u1")!);
    }
}
