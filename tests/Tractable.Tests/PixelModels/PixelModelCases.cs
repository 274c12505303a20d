using Tractable.Models.Pixel;

namespace Tractable.Tests.PixelModels;

/// <summary>Tiny configurations of every autoregressive image model, for the structural tests.</summary>
public static class PixelModelCases
{
    /// <summary>Binary and 256-level, grey and colour, unconditional and conditional cases (name, config).</summary>
    public static TheoryData<string> Names => new(All.Keys);

    public static readonly Dictionary<string, PixelModelConfig> All = new()
    {
        ["pixelcnn-binary"] = new PixelCnnConfig { Colours = 1, Height = 6, Width = 6, Levels = 2, Channels = 4, Blocks = 2, OutputChannels = 8 },
        ["pixelcnn-rgb256"] = new PixelCnnConfig { Colours = 3, Height = 5, Width = 5, Levels = 256, Channels = 6, Blocks = 2, OutputChannels = 12 },
        ["gated-binary"] = new GatedPixelCnnConfig { Colours = 1, Height = 6, Width = 6, Levels = 2, Channels = 4, Layers = 4, OutputChannels = 8 },
        ["gated-rgb4-conditional"] = new GatedPixelCnnConfig { Colours = 3, Height = 5, Width = 5, Levels = 4, Channels = 6, Layers = 3, OutputChannels = 12, NumClasses = 3 },
        ["pixelcnn++-grey"] = new PixelCnnPlusPlusConfig { Colours = 1, Height = 8, Width = 8, Levels = 256, Filters = 4, BlocksPerResolution = 1, Components = 2 },
        ["pixelcnn++-rgb"] = new PixelCnnPlusPlusConfig { Colours = 3, Height = 4, Width = 4, Levels = 256, Filters = 4, BlocksPerResolution = 1, Components = 3 },
        ["row-lstm-binary"] = new PixelRnnConfig { Variant = PixelRnnVariant.RowLstm, Colours = 1, Height = 6, Width = 6, Levels = 2, HiddenChannels = 4, Layers = 2, FirstKernel = 3, OutputChannels = 8 },
        ["row-lstm-rgb256-conditional"] = new PixelRnnConfig { Variant = PixelRnnVariant.RowLstm, Colours = 3, Height = 4, Width = 5, Levels = 256, HiddenChannels = 6, Layers = 2, OutputChannels = 12, NumClasses = 3 },
        ["diagonal-bilstm-binary"] = new PixelRnnConfig { Colours = 1, Height = 5, Width = 7, Levels = 2, HiddenChannels = 4, Layers = 2, FirstKernel = 3, OutputChannels = 8 },
        ["diagonal-bilstm-rgb4-conditional"] = new PixelRnnConfig { Colours = 3, Height = 5, Width = 4, Levels = 4, HiddenChannels = 6, Layers = 2, OutputChannels = 12, NumClasses = 3 },
        ["diagonal-bilstm-rgb256"] = new PixelRnnConfig { Colours = 3, Height = 4, Width = 4, Levels = 256, HiddenChannels = 3, Layers = 3, FirstKernel = 3, OutputChannels = 12 },
    };
}
