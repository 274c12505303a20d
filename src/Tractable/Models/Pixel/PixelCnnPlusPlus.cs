using Tractable.Distributions.Pixels;
using Tractable.Networks.Pixel;
using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>PixelCNN++, configured by <see cref="PixelCnnPlusPlusConfig"/>.</summary>
public sealed class PixelCnnPlusPlus : PixelAutoregressiveModel
{
    private readonly PixelCnnPlusPlusNetwork network;

    /// <summary>Builds the model.</summary>
    public PixelCnnPlusPlus(PixelCnnPlusPlusConfig config)
        : base(nameof(PixelCnnPlusPlus), config, new DiscretizedLogisticMixture(config.Colours, config.Levels, config.Components))
    {
        network = new PixelCnnPlusPlusNetwork(config.Colours, config.Filters, config.BlocksPerResolution, Likelihood.ParameterChannels, config.Dropout);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Parameters(Tensor x, Tensor? context = null) => network.forward(Likelihood.Scale(x));

    /// <summary>
    /// Fast sampling with every layer's activations cached (Ramachandran et al. 2017, arXiv:1704.06001): the network is
    /// unrolled into maps that compute each position once, at the first pixel at which its inputs are final, through the
    /// strided convolutions and the transposed ones alike.
    /// </summary>
    protected override PixelSampler CreateFastSampler(Tensor? context) =>
        new CachedGraphSampler(network.CreateCache(PixelConfig.Height, PixelConfig.Width, Likelihood.Scale));
}
