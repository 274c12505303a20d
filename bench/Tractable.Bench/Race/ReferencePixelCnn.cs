using Tractable.Models.Pixel;
using Tractable.Networks.Pixel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Bench.Race;

/// <summary>
/// The race's reference PixelCNN built from the library's pieces: a 7×7 type-A masked convolution to
/// <c>channels</c>, residual blocks <c>x + conv3×3_B(ReLU(x))</c> of <c>channels → channels</c>, and the library's
/// ReLU-1×1-ReLU-1×1 head (<see cref="PixelOutputHead"/>) to the likelihood's parameters. The library's own
/// <see cref="PixelCnn"/> uses the paper's bottleneck block (2h → h → h → 2h) instead, with fewer multiply-adds.
/// Sampling caches each layer's input map, as <see cref="PixelCnn"/>'s fast sampler does.
/// </summary>
public sealed class ReferencePixelCnn : PixelAutoregressiveModel
{
    private readonly MaskedConv2d input;
    private readonly ModuleList<MaskedConv2d> blocks;
    private readonly PixelOutputHead head;

    /// <summary>A model over the image of <paramref name="config"/> (one colour) with <paramref name="channels"/> channels.</summary>
    public ReferencePixelCnn(PixelCnnConfig config, int channels, int blockCount)
        : base(nameof(ReferencePixelCnn), config, config.CreateColourMaskedLikelihood())
    {
        if (config.Colours != 1) throw new ArgumentException("The reference PixelCNN is for one colour.");
        input = new MaskedConv2d(1, channels, 7, 7, MaskType.A);
        blocks = nn.ModuleList(Enumerable.Range(0, blockCount).Select(_ => new MaskedConv2d(channels, channels, 3, 3, MaskType.B)).ToArray());
        head = new PixelOutputHead(channels, config.OutputChannels, Likelihood.ParameterChannels, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Parameters(Tensor x, Tensor? context = null) => head.forward(Features(x));

    /// <inheritdoc />
    protected override Tensor Evaluate(Tensor x, Tensor? context) => head.LogProb(Features(x), x, Likelihood);

    /// <summary>The input of the output head.</summary>
    private Tensor Features(Tensor x)
    {
        Tensor h = input.forward(Likelihood.Scale(x));
        // Each block's output is fresh: the residual sum accumulates into it (addition's backward reads neither term).
        foreach (MaskedConv2d block in blocks) h = block.forward(nn.functional.relu(h)).add_(h);
        return h;
    }

    /// <inheritdoc />
    protected override PixelSampler CreateFastSampler(Tensor? context) => new LayerCache(this);

    private sealed class LayerCache(ReferencePixelCnn model) : PixelSampler
    {
        private Tensor? image;
        private Tensor[] caches = [];

        public override void Begin(Tensor x)
        {
            long b = x.size(0), height = x.size(2), width = x.size(3);
            image = model.input.EmptyCache(b, height, width, x.dtype, x.device);
            caches = model.blocks.Select(block => block.EmptyCache(b, height, width, x.dtype, x.device)).ToArray();
        }

        public override void Dispose()
        {
            image?.Dispose();
            foreach (Tensor cache in caches) cache.Dispose();
            base.Dispose();
        }

        public override Tensor ParametersAt(Tensor x, int row, int col)
        {
            if (image is null) throw new InvalidOperationException("Begin must be called before the first pixel.");
            // Type A never reads the centre, so only the previous pixel (drawn since the last call) is new to the image cache.
            int previous = row * (int)x.size(3) + col - 1;
            if (previous >= 0)
            {
                int pr = previous / (int)x.size(3), pc = previous % (int)x.size(3);
                model.input.Write(image, pr, pc, model.Likelihood.Scale(x.select(3, pc).select(2, pr)));
            }
            Tensor a = model.input.At(image, row, col);
            for (int l = 0; l < caches.Length; l++)
            {
                model.blocks[l].Write(caches[l], row, col, nn.functional.relu(a));
                a = a + model.blocks[l].At(caches[l], row, col);
            }
            return model.head.At(a);
        }
    }
}
