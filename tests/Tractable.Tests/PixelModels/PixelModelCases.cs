using Tractable.Models;
using Tractable.Models.Pixel;
using TorchSharp;
using static TorchSharp.torch;

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
        ["gated-rgb4-spatial"] = new GatedPixelCnnConfig { Colours = 3, Height = 5, Width = 4, Levels = 4, Channels = 6, Layers = 3, OutputChannels = 12, SpatialContextChannels = 2 },
        ["pixelcnn++-grey"] = new PixelCnnPlusPlusConfig { Colours = 1, Height = 8, Width = 8, Levels = 256, Filters = 4, BlocksPerResolution = 1, Components = 2 },
        ["pixelcnn++-rgb"] = new PixelCnnPlusPlusConfig { Colours = 3, Height = 4, Width = 4, Levels = 256, Filters = 4, BlocksPerResolution = 1, Components = 3 },
        ["row-lstm-binary"] = new PixelRnnConfig { Variant = PixelRnnVariant.RowLstm, Colours = 1, Height = 6, Width = 6, Levels = 2, HiddenChannels = 4, Layers = 2, FirstKernel = 3, OutputChannels = 8 },
        ["row-lstm-rgb256-conditional"] = new PixelRnnConfig { Variant = PixelRnnVariant.RowLstm, Colours = 3, Height = 4, Width = 5, Levels = 256, HiddenChannels = 6, Layers = 2, OutputChannels = 12, NumClasses = 3 },
        ["diagonal-bilstm-binary"] = new PixelRnnConfig { Colours = 1, Height = 5, Width = 7, Levels = 2, HiddenChannels = 4, Layers = 2, FirstKernel = 3, OutputChannels = 8 },
        ["diagonal-bilstm-rgb4-conditional"] = new PixelRnnConfig { Colours = 3, Height = 5, Width = 4, Levels = 4, HiddenChannels = 6, Layers = 2, OutputChannels = 12, NumClasses = 3 },
        ["diagonal-bilstm-rgb256"] = new PixelRnnConfig { Colours = 3, Height = 4, Width = 4, Levels = 256, HiddenChannels = 3, Layers = 3, FirstKernel = 3, OutputChannels = 12 },
    };

    /// <summary>
    /// A context for <paramref name="n"/> images: one-hot labels <paramref name="labels"/>(n) for a class-conditional model,
    /// a random map <c>[n, K, H, W]</c> for a spatially conditioned one, else null.
    /// </summary>
    public static Tensor? Context(PixelAutoregressiveModel model, long n, Generator g, Func<long, Tensor> labels)
    {
        if (model is IClassConditional { NumClasses: > 0 }) return model.ContextFromLabels(labels(n));
        if (model.PixelConfig is GatedPixelCnnConfig { SpatialContextChannels: > 0 } gated)
            return randn([n, gated.SpatialContextChannels, gated.Height, gated.Width], generator: g)
                .to(model.parameters().First().dtype);
        return null;
    }
}
