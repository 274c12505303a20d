using Tractable.Networks.Pixel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>Gated PixelCNN, configured by <see cref="GatedPixelCnnConfig"/>.</summary>
public sealed class GatedPixelCnn : PixelAutoregressiveModel, IClassConditional
{
    private readonly ModuleList<GatedBlock> layers = new();
    private readonly PixelOutputHead head;

    /// <summary>Builds the model.</summary>
    public GatedPixelCnn(GatedPixelCnnConfig config) : base(nameof(GatedPixelCnn), config, config.CreateColourMaskedLikelihood())
    {
        int c = config.Colours;
        if (config.Channels % c != 0) throw new ArgumentException($"Gated PixelCNN needs channels divisible by the {c} colours.");
        if (config.NumClasses > 0 && config.SpatialContextChannels > 0)
            throw new ArgumentException("A Gated PixelCNN conditions on a class label (NumClasses) or on a spatial map (SpatialContextChannels), not both.");
        NumClasses = config.NumClasses;
        SpatialContext = config.SpatialContextChannels > 0;
        int contextFeatures = SpatialContext ? config.SpatialContextChannels : NumClasses;
        layers.Add(new GatedBlock(c, config.Channels, config.FirstKernel, MaskType.A, c, contextFeatures, residual: false, SpatialContext));
        for (int i = 1; i < config.Layers; i++)
            layers.Add(new GatedBlock(config.Channels, config.Channels, config.Kernel, MaskType.B, c, contextFeatures, residual: true, SpatialContext));
        head = new PixelOutputHead(config.Channels, config.OutputChannels, Likelihood.ParameterChannels, c);
        RegisterComponents();
    }

    /// <summary>Classes of the conditioning label (0: unconditional).</summary>
    public int NumClasses { get; }

    /// <summary>Whether the context is a spatial map <c>[B, K, H, W]</c> aligned with the image.</summary>
    public bool SpatialContext { get; }

    /// <inheritdoc />
    public override Tensor? ContextFromLabels(Tensor labels) =>
        ClassContext.OneHot(labels, NumClasses, ParameterDtype);

    /// <inheritdoc />
    public override Tensor Parameters(Tensor x, Tensor? context = null) => head.forward(Features(x, context));

    /// <inheritdoc />
    protected override Tensor Evaluate(Tensor x, Tensor? context) => head.LogProb(Features(x, context), x, Likelihood);

    /// <summary>The input of the output head: the horizontal stack's last output.</summary>
    private Tensor Features(Tensor x, Tensor? context)
    {
        Tensor v = Likelihood.Scale(x), h = v;
        foreach (GatedBlock layer in layers)
        {
            (v, Tensor link) = layer.Vertical(v, context);
            h = layer.Horizontal(h, link, context);
        }
        return h;
    }

    /// <inheritdoc />
    protected override PixelSampler CreateFastSampler(Tensor? context) => new LayerCache(this, context);

    /// <summary>
    /// Fast sampling with every layer's activations cached (Ramachandran et al. 2017, arXiv:1704.06001). Each layer
    /// keeps its vertical convolution's input map and, for the current row, its horizontal convolution's input. When a
    /// row starts, the row above is final: each layer's vertical stack computes that row once, giving the next layer's
    /// input there and the link into the new row (which reads rows above only). For each pixel (and colour), each layer
    /// computes its horizontal stack at that pixel alone: one <c>1 × (k/2+1)</c> patch and the 1×1 layers.
    /// </summary>
    private sealed class LayerCache(GatedPixelCnn model, Tensor? context) : PixelSampler
    {
        private Tensor[] vertical = [];
        private Tensor[] horizontal = [];
        private Tensor[] links = [];

        public override void Begin(Tensor x)
        {
            long b = x.size(0), height = x.size(2), width = x.size(3);
            vertical = model.layers.Select(layer => layer.EmptyVerticalCache(b, height, width, x.dtype, x.device).DetachFromDisposeScope()).ToArray();
        }

        public override void Dispose()
        {
            foreach (Tensor cache in vertical) cache.Dispose();
            base.Dispose();
        }

        /// <remarks>The row's tensors live in the sampling loop's row scope.</remarks>
        public override void BeginRow(Tensor x, int row)
        {
            long b = x.size(0), width = x.size(3);
            horizontal = model.layers.Select(layer => layer.EmptyHorizontalCache(b, width, x.dtype, x.device)).ToArray();
            if (row == 0)
            {
                links = model.layers.Select(layer => layer.FirstRowLink(b, width, x.dtype, x.device)).ToArray();
                return;
            }
            Tensor v = model.Likelihood.Scale(x.narrow(2, row - 1, 1));
            Tensor? rowContext = model.SpatialContext ? context?.narrow(2, row - 1, 1) : context;
            for (int l = 0; l < links.Length; l++)
                (v, links[l]) = model.layers[l].VerticalRow(vertical[l], row - 1, v, rowContext);
        }

        public override Tensor ParametersAt(Tensor x, int row, int col)
        {
            // The first layer's input at the previous pixel was stored before that pixel's last colour was drawn: store
            // it again. Later layers never see the last colour of their own pixel (colour masks), so theirs are final.
            if (col > 0)
                model.layers[0].WriteHorizontal(horizontal[0], col - 1, model.Likelihood.Scale(x.select(3, col - 1).select(2, row)));
            Tensor h = model.Likelihood.Scale(x.select(3, col).select(2, row));
            Tensor? pixelContext = model.SpatialContext ? context?.select(3, col).select(2, row) : context;
            for (int l = 0; l < links.Length; l++)
                h = model.layers[l].HorizontalAt(horizontal[l], col, h, links[l].select(3, col).select(2, 0), pixelContext);
            return model.head.At(h);
        }
    }
}
