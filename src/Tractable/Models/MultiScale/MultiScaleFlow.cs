using Tractable.Transforms;
using Tractable.Transforms.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models.MultiScale;

/// <summary>
/// A multi-scale flow over images (RealNVP, arXiv:1605.08803, §3.6; Glow, arXiv:1807.03039, Figure 2):
/// dequantization and scaling, then L levels; after each level but the last, half of the channels are factored out
/// and scored by <see cref="FactorOut"/>'s prior; the last level's output is scored by <see cref="ImagePrior"/>.
/// <c>log p(x) = Σ log|det J| + Σ_l log p(z_l | h_l) + log p(z_L | class)</c>, in nats of the 8-bit pixel space
/// (the dequantized data's density), so bits/dim is <c>−log p(x) / (D ln 2)</c>.
/// </summary>
public sealed class MultiScaleFlow : DensityModel, IClassConditional, ILatentImageModel
{
    private readonly Dequantize dequantize;
    private readonly Bijector scaling;
    private readonly TorchSharp.Modules.ModuleList<Bijector> levels;
    private readonly TorchSharp.Modules.ModuleList<FactorOut> splits;
    private readonly ImagePrior prior;
    private readonly int numClasses;

    /// <summary>Assembles the flow; <paramref name="splits"/> has one entry per level but the last.</summary>
    public MultiScaleFlow(ModelConfig config, Dequantize dequantize, Bijector scaling, IEnumerable<Bijector> levels,
        IEnumerable<FactorOut> splits, ImagePrior prior, int numClasses) : base(nameof(MultiScaleFlow), config)
    {
        this.dequantize = dequantize;
        this.scaling = scaling;
        this.levels = nn.ModuleList(levels.ToArray());
        this.splits = nn.ModuleList(splits.ToArray());
        this.prior = prior;
        this.numClasses = numClasses;
        if (this.splits.Count != this.levels.Count - 1) throw new ArgumentException("A multi-scale flow needs one factor-out per level but the last.");
        RegisterComponents();
    }

    /// <inheritdoc />
    public int NumClasses => numClasses;

    /// <inheritdoc />
    public override Tensor? ContextFromLabels(Tensor labels) =>
        ClassContext.OneHot(labels, numClasses, ParameterDtype);

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor? context = null)
    {
        (Tensor h, Tensor total) = scaling.Forward(dequantize.Forward(x).y);
        for (int l = 0; l < levels.Count; l++)
        {
            (h, Tensor logDet) = levels[l].Forward(h);
            total = total + logDet;
            if (l < splits.Count)
            {
                (h, Tensor logPrior, _) = splits[l].Split(h);
                total = total + logPrior;
            }
        }
        return total + prior.LogProb(h, context);
    }

    /// <inheritdoc />
    public override Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0)
    {
        Tensor h = prior.Sample(n, context, generator, temperature, like: AnyParameter());
        return Decode(h, null, generator, temperature);
    }

    /// <summary>
    /// The latents of <paramref name="x"/>: the factored-out parts of every level and the last level's output, with
    /// the pixels placed at the centres of their dequantization cells (no noise), for interpolation.
    /// </summary>
    public (Tensor top, Tensor[] factored) Encode(Tensor x)
    {
        Tensor h = scaling.Forward(x + 0.5).y;
        var factored = new List<Tensor>();
        for (int l = 0; l < levels.Count; l++)
        {
            h = levels[l].Forward(h).y;
            if (l < splits.Count)
            {
                (h, _, Tensor z) = splits[l].Split(h);
                factored.Add(z);
            }
        }
        return (h, factored.ToArray());
    }

    /// <inheritdoc />
    /// <remarks>Every level's latent (the top one and each factored-out half) moves along its own straight line.</remarks>
    public Tensor Interpolate(Tensor pair, int steps)
    {
        var (top, factored) = Encode(pair);
        Tensor t = linspace(0, 1, steps, device: pair.device);
        Tensor Line(Tensor z) => z[0].unsqueeze(0) + (z[1] - z[0]).unsqueeze(0) * t.reshape([steps, .. Enumerable.Repeat(1L, (int)z.dim() - 1)]);
        return Decode(Line(top), factored.Select(Line).ToArray());
    }

    /// <summary>Maps latents back to integer pixels; factored parts not given are drawn from their priors.</summary>
    public Tensor Decode(Tensor top, Tensor[]? factored, Generator? generator = null, double temperature = 1.0)
    {
        Tensor h = top;
        for (int l = levels.Count - 1; l >= 0; l--)
        {
            if (l < splits.Count) h = splits[l].Merge(h, generator, temperature, factored?[l]);
            h = levels[l].Inverse(h).x;
        }
        return dequantize.Inverse(scaling.Inverse(h).x).x;
    }

    /// <inheritdoc />
    public override void InitializeFromData(Tensor x, Tensor? context = null)
    {
        // One forward pass in training mode initializes every ActNorm from the data (Glow §3.1).
        using (InMode(training: true)) LogProb(x.narrow(0, 0, Math.Min(x.size(0), 512)), context);
    }

    private Tensor AnyParameter() => parameters().FirstOrDefault() ?? zeros(1);
}
