using Tractable.Distributions.Pixels;
using Tractable.Networks.Pixel;
using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>PixelCNN++, configured by <see cref="PixelCnnPlusPlusConfig"/>.</summary>
public sealed class PixelCnnPlusPlus : PixelAutoregressiveModel
{
    private const int RowAlignment = 4;   // two ×2 downsamplings
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
    /// Runs the network only on the rows down to the current one (rounded up to a multiple of 4 for the
    /// downsampling); its receptive field reaches the top of the image, so no rows above are cut.
    /// </summary>
    protected override PixelSampler CreateFastSampler(Tensor? context) => new WindowedPixelSampler(this, context, rowsAbove: null, RowAlignment);
}
