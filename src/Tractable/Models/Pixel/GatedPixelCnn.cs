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
        NumClasses = config.NumClasses;
        layers.Add(new GatedBlock(c, config.Channels, config.FirstKernel, MaskType.A, c, NumClasses, residual: false));
        for (int i = 1; i < config.Layers; i++)
            layers.Add(new GatedBlock(config.Channels, config.Channels, config.Kernel, MaskType.B, c, NumClasses, residual: true));
        head = new PixelOutputHead(config.Channels, config.OutputChannels, Likelihood.ParameterChannels, c);
        RegisterComponents();
    }

    /// <summary>Classes of the conditioning label (0: unconditional).</summary>
    public int NumClasses { get; }

    /// <inheritdoc />
    public override Tensor? ContextFromLabels(Tensor labels) =>
        NumClasses == 0 ? null : nn.functional.one_hot(labels.to(int64), NumClasses).to(parameters().First().dtype);

    /// <inheritdoc />
    public override Tensor Parameters(Tensor x, Tensor? context = null)
    {
        Tensor v = Likelihood.Scale(x), h = v;
        foreach (GatedBlock layer in layers)
        {
            (v, Tensor link) = layer.Vertical(v, context);
            h = layer.Horizontal(h, link, context);
        }
        return head.forward(h);
    }

    /// <inheritdoc />
    protected override PixelSampler CreateFastSampler(Tensor? context) => new RowCache(this, context);

    /// <summary>
    /// Fast sampling for the two stacks: once per row, the vertical stack runs on the rows drawn so far and keeps each
    /// layer's link into the current row (it depends on earlier rows only); for each pixel, only the horizontal stack
    /// runs, on the current row's columns up to the pixel (nothing in it looks right). Each pixel so costs one row of
    /// the horizontal stack instead of a whole pass (cf. Ramachandran et al. 2017, arXiv:1704.06001, which caches
    /// every layer's activations).
    /// </summary>
    private sealed class RowCache(GatedPixelCnn model, Tensor? context) : PixelSampler
    {
        private Tensor[] links = [];

        public override void BeginRow(Tensor x, int row)
        {
            Tensor v = model.Likelihood.Scale(x.narrow(2, 0, row + 1));
            links = new Tensor[model.layers.Count];
            for (int l = 0; l < links.Length; l++)
            {
                (v, Tensor link) = model.layers[l].Vertical(v, context);
                links[l] = link.narrow(2, row, 1);   // [B, 2p, 1, W]
            }
        }

        public override Tensor ParametersAt(Tensor x, int row, int col)
        {
            Tensor h = model.Likelihood.Scale(x.narrow(2, row, 1).narrow(3, 0, col + 1));
            for (int l = 0; l < links.Length; l++)
                h = model.layers[l].Horizontal(h, links[l].narrow(3, 0, col + 1), context);
            return model.head.forward(h).select(3, col).select(2, 0);
        }
    }
}
