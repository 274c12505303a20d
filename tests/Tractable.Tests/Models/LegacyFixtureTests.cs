using System.Text.Json;
using Tractable.IO;
using Tractable.Models;
using Tractable.Tests.Support;
using static TorchSharp.torch;

namespace Tractable.Tests.Models;

/// <summary>
/// Model folders written by an earlier release still load and give the log-probabilities that release computed.
/// Sequential: image flows draw their dequantization noise from the global generator.
/// </summary>
[Collection(Sequential.Name)]
public sealed class LegacyFixtureTests
{
    public static TheoryData<string> Names => new(LegacyFixtures.Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void LegacyModelLoadsAndGivesTheSameLogProbs(string name)
    {
        string dir = Path.Combine(LegacyFixtures.Folder, name);
        var expected = JsonFiles.Read<LegacyExpectation>(Path.Combine(dir, "expected.json"));
        DensityModel model = ModelStore.Load(dir);
        Assert.Equal(JsonSerializer.Serialize(LegacyFixtures.Cases[name].Config, JsonFiles.Options), JsonSerializer.Serialize(model.Config, JsonFiles.Options));
        Inputs inputs = expected.ToInputs();
        double[] actual = LegacyFixtures.Score(model, inputs.X, inputs.Labels, inputs.Context, expected.DequantizationSeed)
            .to(float64).data<double>().ToArray();
        Assert.Equal(expected.LogProbs.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected.LogProbs[i]) <= 1e-4 + 1e-5 * Math.Abs(expected.LogProbs[i]),
                $"{name}: log p(x{i}) = {actual[i]}, expected {expected.LogProbs[i]}");
    }

    [Fact]
    public void EveryFixtureFolderIsACase()
    {
        var folders = Directory.GetDirectories(LegacyFixtures.Folder).Select(Path.GetFileName).Order();
        Assert.Equal(LegacyFixtures.Cases.Keys.Order(), folders);
    }
}
