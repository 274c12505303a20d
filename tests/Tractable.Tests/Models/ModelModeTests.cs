using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Tests.Models;

/// <summary>Evaluating or sampling in the middle of training leaves the model as it found it.</summary>
public sealed class ModelModeTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void InModeSwitchesWithoutGradientsAndRestores(bool trainingBefore, bool trainingInside)
    {
        DensityModel model = new MafConfig { Features = 2, Layers = 1, HiddenFeatures = 4, BatchNorm = true }.Build();
        model.train(trainingBefore);
        Assert.True(is_grad_enabled());
        using (model.InMode(trainingInside))
        {
            Assert.Equal(trainingInside, model.training);
            Assert.All(model.modules(), m => Assert.Equal(trainingInside, m.training));
            Assert.False(is_grad_enabled());
        }
        Assert.Equal(trainingBefore, model.training);
        Assert.True(is_grad_enabled());
    }
}
