using Tractable.Networks.Pixel;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>PixelCNN, configured by <see cref="PixelCnnConfig"/>.</summary>
public sealed class PixelCnn : PixelAutoregressiveModel
{
    private readonly MaskedConv2d input;
    private readonly nn.Module<Tensor, Tensor> blocks;
    private readonly PixelCnnResidualBlock[] residualBlocks;
    private readonly PixelOutputHead head;

    /// <summary>Builds the model.</summary>
    public PixelCnn(PixelCnnConfig config) : base(nameof(PixelCnn), config, config.CreateColourMaskedLikelihood())
    {
        int c = config.Colours;
        input = new MaskedConv2d(c, 2 * config.Channels, config.FirstKernel, config.FirstKernel, MaskType.A, c);
        var residual = Enumerable.Range(0, config.Blocks).Select(_ => new PixelCnnResidualBlock(config.Channels, config.Kernel, c)).ToArray();
        blocks = nn.Sequential(residual.Select((b, i) => ($"block{i}", (nn.Module<Tensor, Tensor>)b)));
        residualBlocks = residual;
        head = new PixelOutputHead(2 * config.Channels, config.OutputChannels, Likelihood.ParameterChannels, c);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Parameters(Tensor x, Tensor? context = null) => head.forward(Features(x));

    /// <inheritdoc />
    protected override Tensor Evaluate(Tensor x, Tensor? context) => head.LogProb(Features(x), x, Likelihood);

    /// <summary>The input of the output head.</summary>
    private Tensor Features(Tensor x) => blocks.forward(input.forward(Likelihood.Scale(x)));

    /// <inheritdoc />
    /// <remarks>On the CPU, the fused per-pixel step (<see cref="FusedPixelCnnSampler{T}"/>); elsewhere, tensor caches.</remarks>
    protected override PixelSampler CreateFastSampler(Tensor? context)
    {
        if (!FusedSampling || parameters().First().device_type != DeviceType.CPU) return new LayerCache(this);
        return ParameterDtype switch
        {
            ScalarType.Float32 => new FusedPixelCnnSampler<float>(input, residualBlocks, head, PixelConfig.Levels),
            ScalarType.Float64 => new FusedPixelCnnSampler<double>(input, residualBlocks, head, PixelConfig.Levels),
            _ => new LayerCache(this),
        };
    }

    /// <summary>Whether fast sampling on the CPU takes the fused per-pixel step (otherwise the tensor caches, as on other devices).</summary>
    internal bool FusedSampling { get; set; } = true;

    /// <summary>
    /// Fast sampling with every layer's activations cached (Ramachandran et al. 2017, arXiv:1704.06001): each masked
    /// k×k convolution keeps its input map, filled pixel by pixel. A layer's output at pixel i reads only pixels ≤ i of
    /// its input (type B; type A reads &lt; i and, through the colour mask, earlier colours of i), all of which are in
    /// the cache once pixel i's input is written, so each new pixel (or colour) costs one patch per layer instead of
    /// a pass over the whole image. Rewriting pixel i for each colour recomputes exactly the entries that changed.
    /// </summary>
    private sealed class LayerCache(PixelCnn model) : PixelSampler
    {
        private ImageInputCache? image;
        private Tensor[] blocks = [];

        public override void Begin(Tensor x)
        {
            long b = x.size(0), height = x.size(2), width = x.size(3);
            image = new ImageInputCache(model.input, x, model.Likelihood.Scale);
            blocks = model.residualBlocks.Select(block => block.EmptyCache(b, height, width, x.dtype, x.device).DetachFromDisposeScope()).ToArray();
        }

        public override void Dispose()
        {
            image?.Dispose();
            foreach (Tensor cache in blocks) cache.Dispose();
            base.Dispose();
        }

        public override Tensor ParametersAt(Tensor x, int row, int col)
        {
            if (image is null) throw new InvalidOperationException("Begin must be called before the first pixel.");
            // Every cache but the image's is final when written: a layer never sees the last colour of its own pixel.
            Tensor a = image.At(x, row, col);
            for (int l = 0; l < blocks.Length; l++)
                a = model.residualBlocks[l].At(a, blocks[l], row, col);
            return model.head.At(a);
        }
    }
}
