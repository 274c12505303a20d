using System.Text.Json;
using System.Text.Json.Nodes;
using Tractable.Distributions;
using Tractable.IO;
using Tractable.Models;
using Tractable.Networks;
using Tractable.Tests.Models;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using Tractable.Transforms.Preprocessing;
using Tractable.Tests.Support;

namespace Tractable.Tests.IO;

/// <summary>Closed sets are read in one way everywhere: case, '-' and '_' ignored, old spellings accepted, clear errors.</summary>
public sealed class EnumNamesTests
{
    [Theory]
    [InlineData("relu", Activation.Relu)]
    [InlineData("ReLU", Activation.Relu)]
    [InlineData("GELU", Activation.Gelu)]
    [InlineData(" silu ", Activation.Silu)]
    public void ActivationNamesIgnoreCase(string name, Activation expected) =>
        Assert.Equal(expected, EnumNames.Parse<Activation>(name, "activation"));

    [Theory]
    [InlineData("diagonal-normal")]
    [InlineData("diagonal_normal")]
    [InlineData("DiagonalNormal")]
    [InlineData("DIAGONAL-NORMAL")]
    [InlineData("diagonalnormal")]
    public void DashesAndUnderscoresAreIgnored(string name) =>
        Assert.Equal(BaseDistributionKind.DiagonalNormal, EnumNames.Parse<BaseDistributionKind>(name, "base distribution"));

    [Fact]
    public void OlderSpellingsAreAccepted()
    {
        Assert.Equal(CouplingPermutation.Reversed, EnumNames.Parse<CouplingPermutation>("reverse", "permutation"));
        Assert.Equal(CouplingPermutation.Reversed, EnumNames.Parse<CouplingPermutation>("Reversed", "permutation"));
        Assert.Equal(FeatureOrder.Reversed, EnumNames.Parse<FeatureOrder>("REVERSE", "order"));
    }

    [Fact]
    public void AliasesAreNeverWritten()
    {
        Assert.Equal(["alternate", "reversed", "random"], EnumNames.Names<CouplingPermutation>());
        Assert.Equal("reversed", EnumNames.NameOf(CouplingPermutation.Reversed));
    }

    [Theory]
    [InlineData("swish")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public void AnUnknownNameIsAnErrorNamingTheSettingAndTheAcceptedNames(string? name)
    {
        var e = Assert.Throws<UnknownNameException>(() => EnumNames.Parse<Activation>(name, "activation"));
        Assert.IsAssignableFrom<ArgumentException>(e);
        Assert.Equal("activation", e.Setting);
        Assert.Equal($"Unknown activation '{name}'; expected one of: relu, tanh, elu, gelu, silu.", e.Message);
    }

    [Fact]
    public void WrittenNamesAreLowerCaseWordsJoinedByDashes()
    {
        Assert.Equal("diagonal-normal", EnumNames.NameOf(BaseDistributionKind.DiagonalNormal));
        Assert.Equal("relu", EnumNames.NameOf(Activation.Relu));
        Assert.Equal("centered", EnumNames.NameOf(ImagePreprocessing.Centered));
        Assert.Equal(["normal", "diagonal-normal", "logistic"], EnumNames.Names<BaseDistributionKind>());
        Assert.Throws<ArgumentException>(() => EnumNames.NameOf((Activation)42));
    }

    [Fact]
    public void EveryWrittenNameParsesBackToItsMember()
    {
        AssertRoundTrip<Activation>();
        AssertRoundTrip<FeatureOrder>();
        AssertRoundTrip<CouplingPermutation>();
        AssertRoundTrip<BaseDistributionKind>();
        AssertRoundTrip<CouplingMap>();
        AssertRoundTrip<IafUpdate>();
        AssertRoundTrip<ImagePreprocessing>();
        AssertRoundTrip<LocalUpsampling>();
        AssertRoundTrip<ScaleBound>();
    }

    private static void AssertRoundTrip<T>() where T : struct, Enum
    {
        foreach (T member in Enum.GetValues<T>())
            Assert.Equal(member, EnumNames.Parse<T>(EnumNames.NameOf(member), typeof(T).Name));
    }

    [Fact]
    public void JsonWritesNamesAndReadsAnySpelling()
    {
        ModelConfig config = new RealNvpConfig
        {
            Activation = Activation.Gelu, Permutation = CouplingPermutation.Reversed, BaseDistribution = BaseDistributionKind.DiagonalNormal,
        };
        JsonNode json = JsonNode.Parse(JsonSerializer.Serialize(config, JsonFiles.Options))!;
        Assert.Equal("gelu", (string?)json["activation"]);
        Assert.Equal("reversed", (string?)json["permutation"]);
        Assert.Equal("diagonal-normal", (string?)json["base_distribution"]);
        Assert.Equal("tanh", (string?)json["scale_bound"]);

        json["activation"] = "GeLU";
        json["permutation"] = "reverse";
        json["base_distribution"] = "Diagonal_Normal";
        Assert.Equal(config, JsonSerializer.Deserialize<ModelConfig>(json.ToJsonString(), JsonFiles.Options));
    }

    [Fact]
    public void AnUnknownNameInAFileNamesTheSettingAndThePath()
    {
        using var folder = new TempDirectory();
        string path = folder.File("model.json");
        File.WriteAllText(path, """{ "model": "realnvp", "activation": "swish" }""");
        var e = Assert.Throws<CorruptFileException>(() => JsonFiles.Read<ModelConfig>(path));
        Assert.Contains("Unknown activation 'swish'; expected one of: relu, tanh, elu, gelu, silu.", e.Message);
        Assert.Contains("at $.activation", e.Message);
    }

    /// <summary>A legacy model.json, read and written again, is the same document but for renamed values.</summary>
    [Theory]
    [MemberData(nameof(LegacyFixtureTests.Names), MemberType = typeof(LegacyFixtureTests))]
    public void LegacyModelJsonIsWrittenBackWithTheSameNames(string name)
    {
        string file = Path.Combine(LegacyFixtures.Folder, name, ModelStore.ConfigFile);
        JsonNode legacy = JsonNode.Parse(File.ReadAllText(file))!;
        if ((string?)legacy["permutation"] == "reverse") legacy["permutation"] = "reversed";   // the one renamed value
        JsonNode written = JsonNode.Parse(JsonSerializer.Serialize(JsonFiles.Read<ModelConfig>(file), JsonFiles.Options))!;
        Assert.True(JsonNode.DeepEquals(legacy, written), $"{name}: {legacy.ToJsonString()} became {written.ToJsonString()}");
    }
}
