using Tractable.Networks.Pixel;
using Tractable.Networks.Pixel.Recurrent;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>PixelRNN with Row LSTM or Diagonal BiLSTM layers, configured by <see cref="PixelRnnConfig"/>.</summary>
public sealed class PixelRnn : PixelAutoregressiveModel, IClassConditional
{
    private readonly MaskedConv2d input;
    private readonly ModuleList<RecurrentPixelLayer> layers = new();
    private readonly PixelOutputHead head;

    /// <summary>Builds the model.</summary>
    public PixelRnn(PixelRnnConfig config) : base(nameof(PixelRnn), config, config.CreateColourMaskedLikelihood())
    {
        int c = config.Colours;
        if (config.HiddenChannels < 1 || config.HiddenChannels % c != 0)
            throw new ArgumentException($"PixelRNN needs HiddenChannels to be a positive multiple of the {c} colours, got {config.HiddenChannels}.");
        if (config.Layers < 1) throw new ArgumentException($"PixelRNN needs at least one recurrent layer, got Layers = {config.Layers}.");
        if (config.FirstKernel < 1 || config.FirstKernel % 2 == 0)
            throw new ArgumentException($"PixelRNN needs an odd FirstKernel, got {config.FirstKernel}.");
        NumClasses = config.NumClasses;
        long h = config.HiddenChannels;
        input = new MaskedConv2d(c, 2 * h, config.FirstKernel, config.FirstKernel, MaskType.A, c);
        for (int l = 0; l < config.Layers; l++)
            layers.Add(config.Variant == PixelRnnVariant.RowLstm
                ? new RowLstmLayer(2 * h, h, c, NumClasses)
                : new DiagonalBiLstmLayer(2 * h, h, c, NumClasses));
        head = new PixelOutputHead(2 * h, config.OutputChannels, Likelihood.ParameterChannels, c);
        RegisterComponents();
    }

    /// <summary>Classes of the conditioning label (0: unconditional).</summary>
    public int NumClasses { get; }

    /// <inheritdoc />
    public override Tensor? ContextFromLabels(Tensor labels) => ClassContext.OneHot(labels, NumClasses, ParameterDtype);

    /// <inheritdoc />
    public override Tensor Parameters(Tensor x, Tensor? context = null) => head.forward(Features(x, context));

    /// <inheritdoc />
    protected override Tensor Evaluate(Tensor x, Tensor? context) => head.LogProb(Features(x, context), x, Likelihood);

    /// <summary>The input of the output head.</summary>
    private Tensor Features(Tensor x, Tensor? context)
    {
        Tensor a = input.forward(Likelihood.Scale(x));
        foreach (RecurrentPixelLayer layer in layers) a = layer.Forward(a, context);
        return a;
    }

    /// <inheritdoc />
    protected override PixelSampler CreateFastSampler(Tensor? context) => new LayerStates(this, context);

    /// <summary>
    /// Fast sampling with every layer's recurrent state kept: for each pixel (and colour), the first convolution computes
    /// one patch of the cached image and each recurrent layer computes its state at that pixel alone from its neighbours'
    /// states, O(layers) work per pixel instead of a pass over the whole image.
    /// </summary>
    private sealed class LayerStates(PixelRnn model, Tensor? context) : PixelSampler
    {
        private ImageInputCache? image;
        private RecurrentLayerState[] states = [];

        public override void Begin(Tensor x)
        {
            long b = x.size(0);
            int height = (int)x.size(2), width = (int)x.size(3);
            image = new ImageInputCache(model.input, x, model.Likelihood.Scale);
            states = model.layers.Select(layer => layer.CreateState(b, height, width, x.dtype, x.device, context)).ToArray();
        }

        public override void Dispose()
        {
            image?.Dispose();
            foreach (RecurrentLayerState state in states) state.Dispose();
            base.Dispose();
        }

        public override void BeginRow(Tensor x, int row)
        {
            foreach (RecurrentLayerState state in states) state.BeginRow(row);
        }

        public override Tensor ParametersAt(Tensor x, int row, int col)
        {
            if (image is null) throw new InvalidOperationException("Begin must be called before the first pixel.");
            Tensor a = image.At(x, row, col);
            foreach (RecurrentLayerState state in states) a = state.At(a, row, col);
            return model.head.At(a);
        }
    }
}
