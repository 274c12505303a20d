using Tractable.Networks;
using static TorchSharp.torch;

namespace Tractable.Distributions;

/// <summary>
/// MADE MoG: an autoregressive density whose conditionals are mixtures of K Gaussians,
/// <c>p(x) = Π_i Σ_k π_ik N(x_i; μ_ik, σ_ik²)</c> with <c>(π, μ, σ)_i</c> from a <see cref="Made"/> of <c>x_&lt;i</c>
/// (Papamakarios et al. 2017, arXiv:1705.07057, §4 "MADE MoG"). A density model in its own right, and MAF MoG's base.
/// </summary>
/// <remarks>
/// Vectors <c>[B, D]</c>. The MADE produces 3K blocks: mixture logits, means, raw log-scales (soft-clamped to
/// ±<see cref="LogScaleBound"/>). Sampling takes D passes with noise drawn once, so each pass only completes
/// the next feature in the order.
/// </remarks>
public sealed class MadeMixture : Distribution
{
    /// <summary>Bound of the log standard deviations, <c>log σ = c·tanh(raw / c)</c>.</summary>
    public const double LogScaleBound = 7.0;

    private readonly Made made;
    private readonly int components;

    /// <summary>A MADE MoG with <paramref name="components"/> Gaussians per conditional; <paramref name="made"/> must
    /// produce <c>3·components</c> blocks.</summary>
    public MadeMixture(Made made, int components) : base(nameof(MadeMixture), [made.Features])
    {
        this.made = made;
        this.components = components;
        RegisterComponents();
    }

    /// <summary>Number of mixture components per conditional.</summary>
    public int Components => components;

    /// <summary>The mixture's log-weights, means and log-scales, each <c>[B, K, D]</c>, for inputs <paramref name="x"/>.</summary>
    private (Tensor logWeights, Tensor means, Tensor logScales) Parameters(Tensor x, Tensor? context)
    {
        Tensor p = made.Forward(x, context).view(x.size(0), 3, components, made.Features);   // [B, 3, K, D]
        Tensor logScales = (p.select(1, 2) / LogScaleBound).tanh() * LogScaleBound;
        return (nn.functional.log_softmax(p.select(1, 0), 1), p.select(1, 1), logScales);
    }

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor? context = null)
    {
        (Tensor logW, Tensor mu, Tensor logS) = Parameters(x, context);
        Tensor logN = Gaussian.LogDensity(x.unsqueeze(1), mu, logS);                              // [B, K, D]
        return (logW + logN).logsumexp(1).sum(1);
    }

    /// <inheritdoc />
    public override Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0)
    {
        Tensor anchor = made.parameters().First();
        long d = made.Features;
        // Noise fixed up front: the component choice u and the Gaussian draw ε; a pass is then a deterministic function
        // of x, and pass k completes the feature of degree k (ancestral sampling in MADE's order).
        Tensor u = rand([n, d], dtype: anchor.dtype, device: anchor.device, generator: generator);
        Tensor eps = randn([n, 1, d], dtype: anchor.dtype, device: anchor.device, generator: generator) * temperature;
        Tensor x = zeros([n, d], dtype: anchor.dtype, device: anchor.device);
        for (int pass = 0; pass < d; pass++)
        {
            Tensor previous = x;
            using (var scope = NewDisposeScope())                                                  // flat memory over D passes
            {
                (Tensor logW, Tensor mu, Tensor logS) = Parameters(previous, context);
                Tensor k = InverseCdf.Draw(logW, u, dim: 1).unsqueeze(1);                          // [n, 1, D]
                x = (mu.gather(1, k) + logS.gather(1, k).exp() * eps).squeeze(1).MoveToOuterDisposeScope();
            }
            previous.Dispose();
        }
        return x;
    }
}
