using Tractable.Distributions;
using Tractable.Models;
using Tractable.Networks;
using Tractable.Transforms;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Models;

/// <summary>A saved model rebuilds itself from its folder alone and gives identical log-probabilities and samples.</summary>
public sealed class SaveLoadTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    public static IEnumerable<object[]> Configs =>
    [
        [new RealNvpConfig { Features = 3, Couplings = 4, HiddenFeatures = 16, BatchNorm = true, Standardize = true }],
        [new RealNvpConfig { Features = 4, Couplings = 3, HiddenFeatures = 16, Permutation = CouplingPermutation.Random, PermutationSeed = 5, BaseDistribution = BaseDistributionKind.DiagonalNormal }],
        [new NiceConfig { Features = 5, HiddenFeatures = 16 }],
        [new PlanarConfig { Features = 2, Layers = 4 }],
        [new RadialConfig { Features = 2, Layers = 4 }],
        [new MadeConfig { Features = 3, HiddenFeatures = 16, Order = FeatureOrder.Random, OrderSeed = 3 }],
        [new MadeConfig { Features = 3, HiddenFeatures = 16, Components = 3 }],
        [new MafConfig { Features = 4, Layers = 3, HiddenFeatures = 16, BatchNorm = true, Standardize = true }],
        [new MafConfig { Features = 3, Layers = 2, HiddenFeatures = 16, BaseComponents = 2 }],
        [new IafConfig { Features = 3, Layers = 2, HiddenFeatures = 16, HiddenLayers = 1 }],
    ];

    [Theory]
    [MemberData(nameof(Configs))]
    public void SaveThenLoadGivesIdenticalResults(ModelConfig config)
    {
        DensityModel model = config.Build();
        Jacobian.Randomize(model, 0.3, seed: 4);
        using var g = new Generator(11);
        Tensor data = randn([256, (int)config.EventShape[0]], generator: g) * 2 + 1;
        model.InitializeFromData(data);
        if (model.SupportsLogProb)
        {
            model.train();
            using (no_grad()) model.LogProb(data);                    // moves batch-norm running statistics
        }
        model.eval();
        model.Save(folder);

        DensityModel loaded = DensityModel.Load(folder);
        Assert.Equal(config, loaded.Config);
        Assert.Equal(model.ParameterCount, loaded.ParameterCount);
        using var _ = no_grad();
        if (model.SupportsLogProb)
            Assert.True(model.LogProb(data).eq(loaded.LogProb(data)).all().item<bool>(), "log-probs differ after a round trip");
        using var g1 = new Generator(3);
        using var g2 = new Generator(3);
        Assert.True(model.Sample(50, generator: g1).eq(loaded.Sample(50, generator: g2)).all().item<bool>(), "samples differ after a round trip");
    }

    [Fact]
    public void MissingFolderIsAClearError()
    {
        var e = Assert.Throws<FileNotFoundException>(() => DensityModel.Load(Path.Combine(folder, "nothing")));
        Assert.Contains("No saved model", e.Message);
    }
}
