using Tractable.Networks.Pixel;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>PixelCNN, configured by <see cref="PixelCnnConfig"/>.</summary>
public sealed class PixelCnn : PixelAutoregressiveModel
{
    private readonly MaskedConv2d input;
    private readonly nn.Module<Tensor, Tensor> blocks;
    private readonly PixelOutputHead head;
    private readonly int rowsAbove;

    /// <summary>Builds the model.</summary>
    public PixelCnn(PixelCnnConfig config) : base(nameof(PixelCnn), config, config.CreateColourMaskedLikelihood())
    {
        int c = config.Colours;
        input = new MaskedConv2d(c, 2 * config.Channels, config.FirstKernel, config.FirstKernel, MaskType.A, c);
        var residual = Enumerable.Range(0, config.Blocks).Select(_ => new PixelCnnResidualBlock(config.Channels, config.Kernel, c)).ToArray();
        blocks = nn.Sequential(residual.Select((b, i) => ($"block{i}", (nn.Module<Tensor, Tensor>)b)));
        head = new PixelOutputHead(2 * config.Channels, config.OutputChannels, Likelihood.ParameterChannels, c);
        rowsAbove = input.RowsAbove + residual.Sum(b => b.RowsAbove);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Parameters(Tensor x, Tensor? context = null) =>
        head.forward(blocks.forward(input.forward(Likelihood.Scale(x))));

    /// <summary>Runs the network only on the rows within the receptive field of the current pixel.</summary>
    protected override PixelSampler CreateFastSampler(Tensor? context) => new WindowedPixelSampler(this, context, rowsAbove);
}
