using Tractable.Models;
using Tractable.Models.Pixel;

namespace Tractable.Tests.Reliability;

/// <summary>Configurations are checked before anything is built: bounds name the field, and the size estimate is close to the truth.</summary>
public sealed class ModelLimitsTests
{
    public static TheoryData<string, ModelConfig> Configurations() => new()
    {
        { "realnvp", new RealNvpConfig { Features = 5, ContextFeatures = 3, HiddenFeatures = 40, HiddenLayers = 3, BatchNorm = true } },
        { "nice", new NiceConfig { Features = 6, HiddenFeatures = 30 } },
        { "planar", new PlanarConfig { Features = 3, Layers = 8 } },
        { "radial", new RadialConfig { Features = 3, Layers = 8 } },
        { "made", new MadeConfig { Features = 10, HiddenFeatures = 50 } },
        { "made-mog", new MadeConfig { Features = 10, HiddenFeatures = 50, Components = 5, ContextFeatures = 4 } },
        { "maf", new MafConfig { Features = 8, HiddenFeatures = 64, Layers = 3, BaseComponents = 2 } },
        { "iaf", new IafConfig { Features = 8, HiddenFeatures = 64, Layers = 3 } },
        { "glow", new GlowConfig { ImageShape = [1, 8, 8], StepsPerLevel = 2, HiddenChannels = 16, NumClasses = 10 } },
        { "glow-rgb", new GlowConfig { ImageShape = [3, 16, 16], Levels = 3, StepsPerLevel = 2, HiddenChannels = 32 } },
        { "realnvp-image", new RealNvpImageConfig { ImageShape = [1, 8, 8], HiddenChannels = 8 } },
        { "wavenet", new WaveNetConfig { Stacks = 1, MaxDilation = 16, ResidualChannels = 8, SkipChannels = 16, GlobalClasses = 2 } },
        { "pixelcnn", new PixelCnnConfig { Height = 8, Width = 8, Channels = 16, Blocks = 2, Levels = 256 } },
        { "gated-pixelcnn", new GatedPixelCnnConfig { Colours = 3, Height = 8, Width = 8, Channels = 12, Layers = 3, NumClasses = 10 } },
        { "pixelcnn++", new PixelCnnPlusPlusConfig { Colours = 3, Height = 8, Width = 8, Filters = 16, BlocksPerResolution = 1, Levels = 256 } },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void TheEstimatedSizeIsWithinAFactorOfTwoOfTheBuiltModel(string name, ModelConfig config)
    {
        using DensityModel model = config.Build();
        long actual = model.state_dict().Values.Sum(t => t.numel());
        long estimate = ((IValidatableConfig)config).EstimatedStateSize();
        Assert.True(estimate >= actual / 2 && estimate <= actual * 2, $"{name}: estimated {estimate}, built {actual}");
    }

    public static TheoryData<ModelConfig, string> Refused() => new()
    {
        { new RealNvpConfig { Couplings = 0 }, "couplings must be between 1 and 1000, got 0" },
        { new RealNvpConfig { Couplings = -3 }, "couplings must be between 1 and 1000, got -3" },
        { new RealNvpConfig { HiddenFeatures = 0 }, "hidden_features must be between 1 and 65536, got 0" },
        { new RealNvpConfig { Activation = (Tractable.Networks.Activation)99 }, "activation must be one of relu, tanh, elu, gelu, silu, got '99'" },
        { new PlanarConfig { Layers = 0 }, "layers must be between 1 and 1000" },
        { new MafConfig { Features = 784, HiddenFeatures = 60000, HiddenLayers = 300 }, "over the limit" },
        { new MadeConfig { Features = 4, Image = new ImageSize(1, 2, 3) }, "has 6 values but features is 4" },
        { new GlowConfig { ImageShape = [1, 28, 28], Levels = 3 }, "levels 3 need the image size to halve 3 times, but image_shape is 28x28" },
        { new GlowConfig { ImageShape = [1, -28, 28] }, "image_shape must be [channels, height, width]" },
        { new GlowConfig { StepsPerLevel = 0 }, "steps_per_level must be between 1 and 1000, got 0" },
        { new WaveNetConfig { MaxDilation = 12 }, "max_dilation must be a power of two, got 12" },
        { new WaveNetConfig { SegmentLength = 1 }, "segment_length must be at least 2, got 1" },
        { new GatedPixelCnnConfig { Colours = 3, Channels = 32 }, "channels must be a multiple of the 3 colours, got 32" },
        { new PixelCnnPlusPlusConfig { Dropout = 1 }, "dropout must be in [0, 1), got 1" },
        { new PixelCnnPlusPlusConfig { Dropout = double.NaN }, "dropout must be in [0, 1), got NaN" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void BuildRefusesAFieldOutOfBoundsNamingIt(ModelConfig config, string message)
    {
        var e = Assert.Throws<InvalidConfigException>(() => config.Build());
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AnAbsurdWidthIsRefusedBeforeAnythingIsAllocated()
    {
        // hidden_features 300000 in a RealNVP over 784 features would need about 360 GB.
        var config = new RealNvpConfig { Features = 784, HiddenFeatures = 60_000, HiddenLayers = 3, Couplings = 12 };
        var e = Assert.Throws<InvalidConfigException>(() => ModelLimits.Validate(config));
        Assert.Contains("over the limit of 1,000,000,000", e.Message);
        Assert.Contains("realnvp", e.Message);
    }
}
