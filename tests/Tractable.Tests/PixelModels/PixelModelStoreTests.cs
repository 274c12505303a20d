using Tractable.Runs;
using Tractable.Models;
using Tractable.Models.Pixel;
using TorchSharp;
using static TorchSharp.torch;
using Tractable.Tests.Support;

namespace Tractable.Tests.PixelModels;

/// <summary>Saving and loading rebuilds the same model; the catalog configures models from the data's shape.</summary>
public sealed class PixelModelStoreTests
{
    [Theory]
    [MemberData(nameof(PixelModelCases.Names), MemberType = typeof(PixelModelCases))]
    public void SaveAndLoadGiveTheSameLogProb(string name)
    {
        var (model, x, context) = CausalityTests.Build(name);
        model.to(float32);
        x = x.to(float32);
        context = context?.to(float32);
        using var dir = new TempDirectory();
        model.Save(dir);
        DensityModel loaded = DensityModel.Load(dir);
        Assert.Equal(model.Config, loaded.Config);
        loaded.eval();
        using var _ = no_grad();
        Assert.True(model.LogProb(x, context).allclose(loaded.LogProb(x, context)));
    }

    [Fact]
    public void KindsConfigureImageModelsFromTheData()
    {
        var mnist = new DataShape([1, 28, 28], NumClasses: 10, Levels: 2);
        var gated = (GatedPixelCnnConfig)ModelRegistry.Find("gated-pixelcnn").CreateConfig(mnist, new Dictionary<string, string> { ["conditional"] = "true" });
        Assert.Equal(10, gated.NumClasses);
        Assert.Equal([1L, 28, 28], gated.EventShape);
        var cifar = new DataShape([3, 32, 32], NumClasses: 10, Levels: 256);
        Assert.Equal(33, ((GatedPixelCnnConfig)ModelRegistry.Find("gated-pixelcnn").DefaultConfig(cifar)).Channels);
        Assert.Equal(10, ((PixelCnnPlusPlusConfig)ModelRegistry.Find("pixelcnn++").DefaultConfig(cifar)).Components);
        Assert.Throws<InvalidSettingException>(() => ModelRegistry.Find("pixelcnn").DefaultConfig(new DataShape([2])));
        Assert.Throws<InvalidSettingException>(() => ModelRegistry.Find("pixelcnn").DefaultConfig(new DataShape([1, 28, 28])));   // continuous values
        Assert.Throws<InvalidSettingException>(() => ModelRegistry.Find("pixelcnn++").CreateConfig(cifar, new Dictionary<string, string> { ["conditional"] = "true" }));
    }

    [Theory]
    [InlineData("gated-binary")]
    [InlineData("gated-rgb4-conditional")]
    [InlineData("pixelcnn-rgb256")]
    [InlineData("row-lstm-rgb256-conditional")]
    [InlineData("pixelcnn++-grey")]
    public void EvaluationInChunksEqualsTheTrainingPass(string name)
    {
        // Without gradients, images run in chunks and the output heads evaluate the likelihood over chunks of pixels.
        var (model, x, context) = CausalityTests.Build(name, batch: PixelAutoregressiveModel.EvaluationChunk + 5);
        Tensor onePass = model.LogProb(x, context);
        Tensor chunked;
        using (no_grad()) chunked = model.LogProb(x, context);
        Assert.True((onePass.detach() - chunked).abs().max().item<double>() < 1e-9);
    }
}
