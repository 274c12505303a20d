using Tractable.Distributions;
using Tractable.Models.Latent.Decoders;
using Tractable.Transforms;
using TorchSharp;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Models.Latent;

/// <summary>
/// A variational auto-encoder with flow posteriors, configured by <see cref="VaeConfig"/>: the encoder gives
/// <c>q₀(z₀|x) = N(μ(x), diag σ(x)²)</c> and the context of K flow steps <c>z_K = f_K ∘ … ∘ f_1(z₀)</c>, so that
/// <c>log q(z_K|x) = log q₀(z₀|x) − Σ_k log|det ∂f_k/∂z_{k−1}|</c> (Rezende &amp; Mohamed 2015, arXiv:1505.05770, eq. 13);
/// the prior is N(0, I) and the decoder <c>p(x|z)</c> one of <see cref="DecoderKind"/>.
/// </summary>
/// <remarks>
/// <para>The likelihood is not tractable: <see cref="LogProb"/> is the importance-weighted estimate
/// <c>log (1/k) Σ_s p(x, z_s)/q(z_s|x)</c>, <c>z_s ~ q(z|x)</c>, with <c>k = </c><see cref="VaeConfig.ImportanceSamples"/>
/// (Burda et al. 2016, arXiv:1509.00519, eq. 8): a <b>stochastic lower bound</b> on log p(x) in expectation, which
/// tightens as k grows and is drawn from the global random generator; <see cref="ImportanceWeightedLogProb"/> takes k
/// and a generator. <see cref="Elbo"/> is the bound that training maximizes.</para>
/// <para>Latent samples are laid out sample-major: with k samples of a batch of B, row <c>s·B + b</c> belongs to
/// example b.</para>
/// </remarks>
public sealed class Vae : DensityModel, IReconstructingModel
{
    private readonly nn.Module<Tensor, Tensor> encoder;
    private readonly Bijector? posteriorFlow;
    private readonly LatentDecoder decoder;
    private readonly StandardNormal prior;

    /// <summary>Builds the model.</summary>
    public Vae(VaeConfig config) : base(nameof(Vae), config)
    {
        Settings = config;
        encoder = config.CreateEncoder();
        posteriorFlow = config.CreatePosteriorFlow();
        decoder = config.CreateDecoder();
        prior = new StandardNormal(config.Latent);
        RegisterComponents();
    }

    /// <summary>The configuration.</summary>
    public VaeConfig Settings { get; }

    /// <summary>Latent dimensions D.</summary>
    public int Latent => Settings.Latent;

    /// <summary>The encoder network (examples → means, log standard deviations and the steps' context).</summary>
    public nn.Module<Tensor, Tensor> Encoder => encoder;

    /// <summary>The posterior steps (their inverse maps z₀ to z_K), or null for the diagonal Gaussian.</summary>
    public Bijector? PosteriorFlow => posteriorFlow;

    /// <summary>The observation model <c>p(x|z)</c>.</summary>
    public LatentDecoder Decoder => decoder;

    /// <summary>
    /// How many (example, sample) pairs one decoder pass may hold when no gradient is needed: the importance-weighted
    /// estimate splits its <c>k·N</c> decoder evaluations into passes of at most this size.
    /// </summary>
    public int PairsPerPass => Settings.Architecture == VaeArchitecture.GatedConv ? 128 : Settings.Decoder == DecoderKind.GatedPixelCnn ? 512 : 4096;

    /// <summary>The encoder's posterior for each example of <paramref name="x"/> <c>[B, ...]</c>.</summary>
    public PosteriorParameters Encode(Tensor x)
    {
        int d = Latent, a = Settings.PosteriorContextFeatures;
        Tensor h = encoder.forward(Prepare(x));                                        // [B, 2D + A]
        return new PosteriorParameters(h.narrow(1, 0, d), h.narrow(1, d, d), a > 0 ? h.narrow(1, 2 * d, a) : null);
    }

    /// <summary>
    /// <paramref name="samples"/> reparameterized draws <c>z_K</c> <c>[S·B, D]</c> per example of <paramref name="q"/>
    /// and their <c>log q(z_K|x)</c> <c>[S·B]</c>: <c>z₀ = μ + σ ⊙ ε</c>, pushed through the steps with their log-dets.
    /// </summary>
    /// <remarks>
    /// The noise is drawn one sample (one <c>[B, D]</c> block) at a time, so that S samples drawn at once equal S single
    /// draws in a row: how the importance-weighted estimate splits its samples into passes does not change it.
    /// </remarks>
    public (Tensor Z, Tensor LogQ) SamplePosterior(PosteriorParameters q, int samples = 1, Generator? generator = null)
    {
        PosteriorParameters r = q.Repeat(samples);
        Tensor noise = cat(Enumerable.Range(0, samples)
            .Select(_ => randn(TensorSizes.Of(q.Mean), dtype: q.Mean.dtype, device: q.Mean.device, generator: generator)).ToArray(), 0);
        Tensor z0 = r.Mean + r.LogStd.exp() * noise;
        Tensor logQ0 = Gaussian.LogDensity(z0, r.Mean, r.LogStd).sum(1);
        if (posteriorFlow is null) return (z0, logQ0);
        (Tensor zK, Tensor logDet) = posteriorFlow.Inverse(z0, r.Context);
        return (zK, logQ0 - logDet);
    }

    /// <summary>
    /// The reparameterized ELBO terms of each example from one posterior sample (Kingma &amp; Welling 2014, eq. 7; with the
    /// steps' log-dets, Rezende &amp; Mohamed 2015, eq. 15): the KL in closed form for the diagonal Gaussian, else sampled.
    /// </summary>
    public ElboTerms Elbo(Tensor x, Generator? generator = null)
    {
        PosteriorParameters q = Encode(x);
        (Tensor z, Tensor logQ) = SamplePosterior(q, 1, generator);
        Tensor kl = posteriorFlow is null
            ? Gaussian.KlToStandardNormal(q.Mean, q.LogStd).sum(1)
            : logQ - prior.LogProb(z);
        return new ElboTerms(decoder.LogProb(x, z), kl);
    }

    /// <summary>
    /// The importance-weighted estimate of log p(x) with <paramref name="samples"/> samples per example (Burda et al. 2016,
    /// eq. 8), <c>[B]</c>: a lower bound in expectation, equal to the ELBO's expectation at k = 1 and rising to log p(x)
    /// as k → ∞. Without gradients the <c>k·B</c> decoder evaluations run in passes of at most
    /// <paramref name="pairsPerPass"/> (default <see cref="PairsPerPass"/>), each in its own dispose scope.
    /// </summary>
    public Tensor ImportanceWeightedLogProb(Tensor x, int samples, Generator? generator = null, int? pairsPerPass = null)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), "The importance-weighted estimate needs at least one sample.");
        int budget = Math.Max(1, pairsPerPass ?? PairsPerPass);
        if (is_grad_enabled()) return ImportanceWeighted(x, samples, samples, generator);
        var parts = new List<Tensor>();
        for (long start = 0; start < x.size(0); start += budget)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(budget, x.size(0) - start);
            int perPass = (int)Math.Max(1, budget / n);
            parts.Add(scope.MoveToOuter(ImportanceWeighted(x.narrow(0, start, n), samples, perPass, generator)));
        }
        return cat(parts, 0);
    }

    /// <summary>The estimate for one batch, its samples drawn <paramref name="perPass"/> at a time: a running log-sum-exp.</summary>
    private Tensor ImportanceWeighted(Tensor x, int samples, int perPass, Generator? generator)
    {
        PosteriorParameters q = Encode(x);
        var logSums = new List<Tensor>();
        for (int done = 0; done < samples; done += perPass)
        {
            using var scope = NewDisposeScope();
            int k = Math.Min(perPass, samples - done);
            (Tensor z, Tensor logQ) = SamplePosterior(q, k, generator);
            Tensor logW = decoder.LogProb(x.repeat([k, .. Enumerable.Repeat(1L, (int)x.dim() - 1)]), z) + prior.LogProb(z) - logQ;
            logSums.Add(scope.MoveToOuter(logW.view(k, x.size(0)).logsumexp(0)));   // [B]
        }
        return stack(logSums).logsumexp(0) - Math.Log(samples);
    }

    /// <inheritdoc />
    /// <remarks>The importance-weighted estimate with <see cref="VaeConfig.ImportanceSamples"/> samples: a stochastic lower bound.</remarks>
    public override Tensor LogProb(Tensor x, Tensor? context = null)
    {
        RejectContext(context);
        return ImportanceWeightedLogProb(x, Settings.ImportanceSamples);
    }

    /// <inheritdoc />
    /// <remarks>Decodes prior draws <c>z ~ N(0, T²I)</c>: the temperature scales the prior, the decoder samples as it is.</remarks>
    public override Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0)
    {
        RejectContext(context);
        return WithoutTraining(() => decoder.Sample(prior.Sample(n, generator: generator, temperature: temperature), generator));
    }

    /// <summary>Draws <c>x ~ p(x|z)</c> for each row of <paramref name="z"/> <c>[B, D]</c>.</summary>
    public Tensor Decode(Tensor z, Generator? generator = null) => WithoutTraining(() => decoder.Sample(z, generator));

    /// <summary>Reconstructions: for each example, <c>z ~ q(z|x)</c> (through the steps) decoded to <c>x′ ~ p(x|z)</c>.</summary>
    public Tensor Reconstruct(Tensor x, Generator? generator = null) =>
        WithoutTraining(() => decoder.Sample(SamplePosterior(Encode(x), 1, generator).Z, generator));

    /// <summary>What the encoder sees: images' levels scaled to [−1, 1] as the pixel networks see them; vectors as they are.</summary>
    private Tensor Prepare(Tensor x) => Settings.Features > 0 ? x : x * (2.0 / (Settings.Levels - 1)) - 1.0;

    private Tensor WithoutTraining(Func<Tensor> draw)
    {
        bool wasTraining = training;
        eval();
        try
        {
            using var _ = no_grad();
            return draw();
        }
        finally
        {
            train(wasTraining);
        }
    }

    private static void RejectContext(Tensor? context)
    {
        if (context is not null) throw new ArgumentException("A VAE is unconditional: it takes no context.");
    }
}
