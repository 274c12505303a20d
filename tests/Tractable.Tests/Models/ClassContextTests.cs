using TorchSharp;
using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Tests.Models;

/// <summary>Class-conditional models share one context: the one-hot label in the model's dtype.</summary>
public sealed class ClassContextTests
{
    [Fact]
    public void LabelsBecomeOneHotRowsInTheGivenDtype()
    {
        Tensor context = ClassContext.OneHot(tensor(new[] { 2, 0 }), 3, float64)!;
        Assert.Equal(float64, context.dtype);
        Assert.True(context.eq(tensor(new double[,] { { 0, 0, 1 }, { 1, 0, 0 } })).all().item<bool>());
    }

    [Fact]
    public void AModelWithoutClassesHasNoContext() => Assert.Null(ClassContext.OneHot(tensor(new long[] { 1 }), 0, float32));

    [Fact]
    public void LabelsOutsideTheClassesAreAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => ClassContext.OneHot(tensor(new long[] { 0, 3 }), 3, float32));
        Assert.Contains("must lie in 0..2; got labels from 0 to 3", e.Message);
    }

    [Fact]
    public void ConditionalModelsUseTheirParameterDtype()
    {
        var models = new DensityModel[]
        {
            new MafConfig { Features = 2, Layers = 1, HiddenFeatures = 4, ContextFeatures = 3, LabelClasses = 3 }.Build(),
            new GlowConfig { ImageShape = [1, 4, 4], Levels = 2, StepsPerLevel = 1, HiddenChannels = 4, NumClasses = 3 }.Build(),
            new Tractable.Models.Pixel.GatedPixelCnnConfig { Height = 4, Width = 4, Channels = 2, Layers = 2, OutputChannels = 2, NumClasses = 3 }.Build(),
            new WaveNetConfig { SegmentLength = 8, ResidualChannels = 2, SkipChannels = 2, Stacks = 1, MaxDilation = 2, GlobalClasses = 3 }.Build(),
        };
        foreach (DensityModel model in models)
        {
            model.to(float64);
            Tensor? context = model.ContextFromLabels(tensor(new long[] { 1, 2 }));
            Assert.NotNull(context);
            Assert.Equal(float64, context!.dtype);
            Assert.Equal([2L, 3], context.shape);
        }
    }
}
