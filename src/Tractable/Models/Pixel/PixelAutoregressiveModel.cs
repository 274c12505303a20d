using Tractable.Distributions;
using Tractable.Distributions.Pixels;
using Tractable.Networks.Pixel;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>
/// An autoregressive model of images in raster order, <c>log p(x) = Σ_i Σ_c log p(x_i,c | x_&lt;i, x_i,&lt;c)</c>
/// (van den Oord et al. 2016, arXiv:1601.06759, eq. 1–2): a causal network maps the image to every pixel's likelihood
/// parameters in one pass, so <see cref="LogProb"/> is exact and discrete (nats, no dequantization). Images hold the raw
/// integer levels <c>0..L−1</c> as floats, <c>[B, C, H, W]</c>. PixelCNN, Gated PixelCNN and PixelCNN++ share this class's
/// likelihood and its one sampling loop; each supplies its network and, optionally, a faster sampler.
/// </summary>
public abstract class PixelAutoregressiveModel : DensityModel
{
    /// <summary>A model over images of <paramref name="config"/>'s shape with the pixel <paramref name="likelihood"/>.</summary>
    protected PixelAutoregressiveModel(string name, PixelModelConfig config, PixelLikelihood likelihood) : base(name, config)
    {
        Likelihood = likelihood;
        PixelConfig = config;
    }

    /// <summary>The distribution of each pixel given the network's outputs.</summary>
    public PixelLikelihood Likelihood { get; }

    /// <summary>The image configuration.</summary>
    public PixelModelConfig PixelConfig { get; }

    /// <summary>
    /// The likelihood parameters <c>[B, P, H', W]</c> of every pixel of <paramref name="x"/> <c>[B, C, H', W]</c> (raw
    /// levels); the parameters of pixel <c>i</c> depend only on earlier pixels (and on earlier colours of pixel
    /// <c>i</c> where the likelihood is not joint over colours). <c>H'</c> may be a window of rows during sampling.
    /// </summary>
    public abstract Tensor Parameters(Tensor x, Tensor? context = null);

    /// <summary>The fast sampler of this model; the naive one unless a model knows better.</summary>
    protected virtual PixelSampler CreateFastSampler(Tensor? context) => new NaivePixelSampler(this, context);

    /// <summary>
    /// The sampler that <see cref="Sample(long, Tensor?, Generator?, double, bool, int?)"/> uses: the model's cached one
    /// (<paramref name="fast"/>) or one full pass per pixel. For custom raster-order loops: call
    /// <see cref="PixelSampler.Begin"/> once, then <see cref="PixelSampler.BeginRow"/> and
    /// <see cref="PixelSampler.ParametersAt"/> in raster order, without gradients, with the model in eval mode.
    /// </summary>
    public PixelSampler CreateSampler(bool fast, Tensor? context = null) =>
        fast ? CreateFastSampler(context) : new NaivePixelSampler(this, context);

    /// <summary>Images per network pass when no gradient is needed (evaluation in large batches).</summary>
    public const int EvaluationChunk = 64;

    /// <inheritdoc />
    /// <remarks>
    /// Without gradients, large batches run in chunks of <see cref="EvaluationChunk"/> images, each in its own dispose
    /// scope: a convolutional pass keeps every intermediate feature map alive until its scope ends, which for thousands
    /// of images would take gigabytes.
    /// </remarks>
    public override Tensor LogProb(Tensor x, Tensor? context = null)
    {
        if (is_grad_enabled()) return Likelihood.LogProb(Parameters(x, context), x);
        if (x.size(0) <= EvaluationChunk) return Evaluate(x, context);
        var parts = new List<Tensor>();
        for (long start = 0; start < x.size(0); start += EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(EvaluationChunk, x.size(0) - start);
            Tensor part = Evaluate(x.narrow(0, start, n), context?.narrow(0, start, n));
            parts.Add(scope.MoveToOuter(part));
        }
        return cat(parts, 0);
    }

    /// <summary>
    /// <see cref="LogProb"/> of a batch without gradients: the likelihood of <see cref="Parameters"/>, unless the model
    /// computes the same faster (a model whose parameters come from a <see cref="PixelOutputHead"/> lets the head
    /// evaluate the likelihood over chunks of pixels).
    /// </summary>
    protected virtual Tensor Evaluate(Tensor x, Tensor? context) => Likelihood.LogProb(Parameters(x, context), x);

    /// <inheritdoc />
    public override Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0) =>
        Sample(n, context, generator, temperature, fast: true);

    /// <summary>
    /// Draws images pixel by pixel in raster order (and colour by colour). Each sub-pixel is drawn from its own uniform
    /// (all drawn up front from <paramref name="generator"/>) by the inverse CDF, so the naive and the fast path give
    /// the same images for the same generator: they compute the same logits up to rounding, and rounding can change a
    /// draw only when a uniform falls on a CDF boundary (probability zero).
    /// </summary>
    /// <param name="n">Number of images (the rows of <paramref name="context"/> when given).</param>
    /// <param name="context">Conditioning vectors <c>[n, K]</c> for conditional models.</param>
    /// <param name="generator">Random generator of the uniforms.</param>
    /// <param name="temperature">Divides the log-probabilities of each draw.</param>
    /// <param name="fast">Whether to use the model's cached sampler instead of one full pass per pixel.</param>
    /// <param name="rows">Draw only the first rows (the rest stay 0): for timing the naive path.</param>
    public Tensor Sample(long n, Tensor? context, Generator? generator, double temperature, bool fast, int? rows = null)
    {
        long[] shape = Config.EventShape;
        int colours = (int)shape[0], height = (int)shape[1], width = (int)shape[2];
        if (context is not null) n = context.size(0);
        using var mode = InMode(training: false);
        Device device = parameters().First().device;
        Tensor x = zeros([n, colours, height, width], device: device);
        using Tensor uniforms = rand([n, height, width, colours], generator: generator).to(device);
        using PixelSampler sampler = CreateSampler(fast, context);
        // The weights stay fixed while sampling: each masked kernel's row matrices are made once, when the sampler
        // first reads it per pixel, not at every pixel; kernels it runs only over whole windows are never made.
        IDisposable[] frozenKernels = fast ? modules().OfType<MaskedConv2d>().Select(conv => conv.FreezeKernel()).ToArray() : [];
        try
        {
            Draw(sampler, x, uniforms, temperature, Math.Min(height, rows ?? height));
        }
        finally
        {
            foreach (IDisposable kernel in frozenKernels) kernel.Dispose();
        }
        return x;
    }

    /// <summary>Fills the first <paramref name="rows"/> rows of <paramref name="x"/> in raster order, one dispose scope per pixel.</summary>
    private void Draw(PixelSampler sampler, Tensor x, Tensor uniforms, double temperature, int rows)
    {
        int colours = (int)x.size(1), width = (int)x.size(3);
        sampler.Begin(x);
        for (int i = 0; i < rows; i++)
        {
            using var rowScope = NewDisposeScope();
            sampler.BeginRow(x, i);
            for (int j = 0; j < width; j++)
            {
                using var pixelScope = NewDisposeScope();
                Tensor? parameters = null;
                for (int c = 0; c < colours; c++)
                {
                    if (parameters is null || !Likelihood.JointOverColours) parameters = sampler.ParametersAt(x, i, j);
                    Tensor pixel = x.select(3, j).select(2, i);                                        // [n, C]
                    Tensor logProbs = Likelihood.LevelLogProbs(parameters, pixel, c);                 // [n, L]
                    pixel.select(1, c).copy_(InverseCdf.Draw(logProbs, uniforms.select(1, i).select(1, j).select(1, c), temperature));
                }
            }
        }
    }
}
