using Tractable.Data;
using Tractable.Models.Latent;
using Tractable.Models.Latent.Decoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Latent;

/// <summary>
/// The linear-Gaussian latent model <c>x = Wz + b + σε</c>, <c>z ~ N(0, I)</c>, <c>ε ~ N(0, I)</c>: its marginal
/// <c>p(x) = N(b, WWᵀ + σ²I)</c> and posterior <c>p(z|x) = N(Λ⁻¹Wᵀ(x − b)/σ², Λ⁻¹)</c> with precision
/// <c>Λ = I + WᵀW/σ²</c> are closed-form. The columns of W are nearly parallel, so the posterior is strongly correlated
/// (correlation ≈ −0.89) and a diagonal Gaussian cannot match it: the best diagonal q has
/// <c>KL(q‖p(z|x)) = ½(Σ log Λ_ii − log det Λ)</c> ≈ 0.77 nats for every x.
/// </summary>
public static class LinearGaussianModel
{
    public const int Latent = 2;
    public const int Features = 4;
    public const double Sigma = 0.5;

    /// <summary>W <c>[4, 2]</c> (float64).</summary>
    public static Tensor W => tensor(new double[] { 1.0, 0.9, 0.8, 0.9, 0.6, 0.5, 0.4, 0.5 }, [Features, Latent], dtype: float64);

    /// <summary>b <c>[4]</c> (float64).</summary>
    public static Tensor B => tensor(new double[] { 0.5, -1.0, 0.25, 2.0 }, dtype: float64);

    /// <summary>The posterior precision Λ = I + WᵀW/σ² <c>[2, 2]</c>.</summary>
    public static Tensor Precision => eye(Latent, dtype: float64) + W.t().matmul(W) / (Sigma * Sigma);

    /// <summary>The gap of the best diagonal posterior, <c>½(Σ log Λ_ii − log det Λ)</c>, in nats.</summary>
    public static double DiagonalGap
    {
        get
        {
            using var scope = NewDisposeScope();
            Tensor lambda = Precision;
            return 0.5 * (lambda.diagonal().log().sum() - linalg.slogdet(lambda).Item2).item<double>();
        }
    }

    /// <summary>Exact <c>log p(x)</c> <c>[N]</c> of <paramref name="x"/> <c>[N, 4]</c>.</summary>
    public static Tensor LogMarginal(Tensor x)
    {
        Tensor covariance = W.matmul(W.t()) + Sigma * Sigma * eye(Features, dtype: float64);
        Tensor centred = x.to(float64) - B;
        Tensor solved = linalg.solve(covariance, centred.t()).t();                     // C⁻¹(x − b)
        double logDet = linalg.slogdet(covariance).Item2.item<double>();
        return -0.5 * ((centred * solved).sum(1) + logDet + Features * Math.Log(2 * Math.PI));
    }

    /// <summary><paramref name="n"/> draws of x <c>[n, 4]</c> (float64).</summary>
    public static Tensor Draw(long n, Generator g) =>
        randn([n, Latent], dtype: float64, generator: g).matmul(W.t()) + B + Sigma * randn([n, Features], dtype: float64, generator: g);

    /// <summary>Train, validation and test splits drawn from the model, in float32 (the trainer's precision).</summary>
    public static DataSplits Data(long train, long validation, long test, ulong seed)
    {
        using var g = new Generator(seed);
        return new DataSplits("linear-gaussian", new Split(Draw(train, g).to(float32)), new Split(Draw(validation, g).to(float32)),
            new Split(Draw(test, g).to(float32)));
    }

    /// <summary>A VAE over this model's data with linear encoder and decoder (no hidden layers), in <paramref name="dtype"/>.</summary>
    public static Vae Build(PosteriorFlow posterior = PosteriorFlow.None, int steps = 0, ulong seed = 1, ScalarType dtype = ScalarType.Float64)
    {
        var vae = (Vae)new VaeConfig
        {
            Features = Features, Latent = Latent, Decoder = DecoderKind.Gaussian, HiddenLayers = 0, Posterior = posterior,
            FlowSteps = steps, IafContextFeatures = 4, IafHiddenFeatures = 16,
        }.Build();
        vae.to(dtype);
        using (no_grad())
        using (var g = new Generator(seed))
            foreach (var p in vae.Encoder.parameters().Concat(vae.PosteriorFlow?.parameters() ?? []))
                p.copy_(randn(p.shape, dtype: dtype, generator: g) * 0.1);
        FixDecoderToTruth(vae);
        return vae;
    }

    /// <summary>Sets the (linear) decoder to the true W, b and σ and freezes it.</summary>
    public static void FixDecoderToTruth(Vae vae)
    {
        var decoder = (GaussianDecoder)vae.Decoder;
        var state = decoder.state_dict();
        using (no_grad())
        {
            state["network.linear.weight"].copy_(W);
            state["network.linear.bias"].copy_(B);
            state["logStd"].fill_(Math.Log(Sigma));
        }
        foreach (var p in decoder.parameters()) p.requires_grad_(false);
    }

    /// <summary>The best diagonal posterior: the exact mean, and variances <c>1/Λ_ii</c> (mean-field).</summary>
    public static void SetEncoderToBestDiagonal(Vae vae) => SetEncoder(vae, -0.5 * Precision.diagonal().log());

    /// <summary>
    /// The exact mean with the isotropic standard deviation <c>λ_min(Λ)^(−1/2)</c>: wider than the posterior in every
    /// direction, so <c>2Λ − Λ_q ≻ 0</c> and the importance weights <c>p/q</c> have finite variance. (The best diagonal
    /// posterior violates this here, its precision <c>diag Λ</c> being too large along the correlation, and its weights
    /// have infinite variance: importance sampling from it converges too slowly for a test.)
    /// </summary>
    public static void SetEncoderToWideProposal(Vae vae) =>
        SetEncoder(vae, full([Latent], -0.5 * Math.Log(linalg.eigvalsh(Precision).min().item<double>()), dtype: float64));

    /// <summary><c>KL(q ‖ p(z|x))</c> of <see cref="SetEncoderToWideProposal"/>'s q, the same for every x.</summary>
    public static double WideProposalGap
    {
        get
        {
            using var scope = NewDisposeScope();
            Tensor lambda = Precision;
            double c = linalg.eigvalsh(lambda).min().item<double>();
            // ½[tr(Λ Σ_q) − d − log det(Λ Σ_q)] with Σ_q = I/c
            return 0.5 * (lambda.trace().item<double>() / c - Latent - linalg.slogdet(lambda).Item2.item<double>() + Latent * Math.Log(c));
        }
    }

    private static void SetEncoder(Vae vae, Tensor logStd)
    {
        Tensor meanMap = linalg.solve(Precision, W.t()) / (Sigma * Sigma);         // [2, 4]: μ = A(x − b)
        var state = vae.Encoder.state_dict();
        using var _ = no_grad();
        Tensor weight = state["linear.weight"], bias = state["linear.bias"];
        weight.zero_();
        bias.zero_();
        weight.narrow(0, 0, Latent).copy_(meanMap);
        bias.narrow(0, 0, Latent).copy_(-meanMap.matmul(B));
        bias.narrow(0, Latent, Latent).copy_(logStd);
    }
}
