using Tractable.IO;
using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Reliability;

/// <summary>A saved model that is damaged, mismatched, absurd or non-finite is refused on loading with the file named.</summary>
public sealed class SavedModelTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-saved-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Weights => Path.Combine(folder, ModelStore.WeightsFile);

    private string Config => Path.Combine(folder, ModelStore.ConfigFile);

    private DensityModel SaveSmallModel(int hidden = 8)
    {
        DensityModel model = new RealNvpConfig { Features = 3, HiddenFeatures = hidden, Couplings = 2 }.Build();
        ModelStore.Save(model, folder);
        return model;
    }

    [Fact]
    public void AnIntactModelLoadsWithIdenticalWeights()
    {
        using DensityModel saved = SaveSmallModel();
        using DensityModel loaded = ModelStore.Load(folder);
        foreach (var (name, t) in saved.state_dict()) Assert.True(t.eq(loaded.state_dict()[name]).all().item<bool>(), name);
    }

    public static TheoryData<string, Func<byte[], byte[]>, string> Damage() => new()
    {
        { "empty", _ => [], "empty file" },
        { "truncated", b => b[..(b.Length / 2)], "truncated" },
        { "one byte short", b => b[..^1], "truncated" },
        { "trailing bytes", b => [.. b, 1, 2, 3], "3 unexpected bytes after the last tensor" },
        { "garbage", b => Enumerable.Range(0, b.Length).Select(i => (byte)(i * 7919 % 251)).ToArray(), "model.bin" },
        { "huge count", b => [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, .. b[1..]], "tensors, but the model built from its configuration has" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void DamagedWeightsAreACorruptFileNamingIt(string what, Func<byte[], byte[]> damage, string message)
    {
        SaveSmallModel().Dispose();
        File.WriteAllBytes(Weights, damage(File.ReadAllBytes(Weights)));
        var e = Assert.Throws<CorruptFileException>(() => ModelStore.Load(folder));
        Assert.Contains(Weights, e.Message);
        Assert.Contains(message, e.Message);
        Assert.True(what.Length > 0);
    }

    [Fact]
    public void WeightsOfAnotherConfigurationAreNamedAsNotBelonging()
    {
        SaveSmallModel(hidden: 8).Dispose();
        byte[] weights = File.ReadAllBytes(Weights);
        SaveSmallModel(hidden: 16).Dispose();
        File.WriteAllBytes(Weights, weights);
        var e = Assert.Throws<CorruptFileException>(() => ModelStore.Load(folder));
        Assert.Contains("has shape [8, 3], but the model's is [16, 3]", e.Message);
    }

    [Fact]
    public void NonFiniteWeightsAreRefusedWithTheTensorNamed()
    {
        using DensityModel model = new RealNvpConfig { Features = 3, HiddenFeatures = 8, Couplings = 2 }.Build();
        var (name, parameter) = model.named_parameters().First();
        using (no_grad()) parameter[0].fill_(double.NaN);
        ModelStore.Save(model, folder);
        var e = Assert.Throws<NonFiniteWeightsException>(() => ModelStore.Load(folder));
        Assert.Contains(Weights, e.Message);
        Assert.Contains(name, e.Message);
        Assert.Equal([name], FiniteWeights.NonFinite(model));
    }

    [Theory]
    [MemberData(nameof(ModelLimitsTests.Configurations), MemberType = typeof(ModelLimitsTests))]
    public void EveryFreshModelHoldsOnlyFiniteWeights(string name, ModelConfig config)
    {
        using DensityModel model = config.Build();
        Assert.True(FiniteWeights.NonFinite(model).Count == 0, name);
    }

    [Theory]
    [InlineData("\"hidden_features\": 8", "\"hidden_features\": 300000", "hidden_features must be between 1 and 65536, got 300000")]
    [InlineData("\"hidden_features\": 8", "\"hidden_features\": 60000", "over the limit")]
    [InlineData("\"couplings\": 2", "\"couplings\": 0", "couplings must be between 1 and 1000, got 0")]
    [InlineData("\"couplings\": 2", "\"couplings\": -3", "couplings must be between 1 and 1000, got -3")]
    public void AbsurdConfigurationsAreRefusedBeforeBuilding(string from, string to, string message)
    {
        SaveSmallModel().Dispose();
        string text = File.ReadAllText(Config);
        Assert.Contains(from, text);
        File.WriteAllText(Config, text.Replace(from, to));
        var e = Assert.Throws<InvalidConfigException>(() => ModelStore.Load(folder));
        Assert.StartsWith(Config + ": ", e.Message);
        Assert.Contains(message, e.Message);
    }
}
