using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Models.Latent;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// Variational training of a <see cref="Vae"/>: minimize <c>−E_q[log p(x|z)] + β_t·max(λD, KL)</c> over minibatches,
/// where the KL term is the batch mean of <see cref="Vae.Elbo"/>'s (closed form for a diagonal posterior, sampled through
/// the flow steps otherwise). KL warm-up raises <c>β_t = min(1, t/warmupSteps)</c> from 0 to 1 (Sønderby et al. 2016,
/// arXiv:1602.02282; the IAF paper's training); free bits (Kingma et al. 2016, arXiv:1606.04934, Appendix C.8) keep
/// λ nats per latent dimension (<c>freeBits</c>) free of KL pressure, the latent vector taken as one group,
/// since a flow's <c>log q(z|x)</c> does not split over dimensions. Validation is the plain <c>−ELBO</c> (β = 1, no
/// free bits) on the validation split, from a fixed seed.
/// </summary>
public sealed class EvidenceLowerBound : ITrainingObjective
{
    private readonly Split train;
    private readonly Split validation;
    private readonly Device device;
    private readonly int warmupSteps;
    private readonly double freeBits;
    private readonly long validationSeed;

    /// <summary>Trains on <paramref name="data"/>'s training split, validates on its validation split.</summary>
    /// <param name="data">The data.</param>
    /// <param name="device">Where the model lives.</param>
    /// <param name="warmupSteps">Steps over which the KL weight β rises linearly from 0 to 1 (0: β = 1 throughout).</param>
    /// <param name="freeBits">Nats per latent dimension below which the KL term is not pressed (0: none).</param>
    /// <param name="validationSeed">Seed of the posterior samples of every validation.</param>
    public EvidenceLowerBound(DataSplits data, Device device, int warmupSteps = 0, double freeBits = 0, long validationSeed = 1)
    {
        if (warmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(warmupSteps), "The KL warm-up cannot be negative.");
        if (!(freeBits >= 0)) throw new ArgumentOutOfRangeException(nameof(freeBits), "Free bits must be a non-negative number of nats.");
        train = data.Train;
        validation = data.Validation;
        this.device = device;
        this.warmupSteps = warmupSteps;
        this.freeBits = freeBits;
        this.validationSeed = validationSeed;
    }

    /// <summary>The KL weight <c>β_t = min(1, t/warmupSteps)</c> at step <paramref name="step"/>.</summary>
    public double KlWeight(int step) => warmupSteps > 0 ? Math.Min(1.0, (double)step / warmupSteps) : 1.0;

    /// <inheritdoc />
    public void Initialize(DensityModel model, Generator generator) => AsVae(model);

    /// <inheritdoc />
    public Tensor Loss(DensityModel model, int batchSize, int step, Generator generator)
    {
        Vae vae = AsVae(model);
        Tensor idx = randint(0, train.Count, [batchSize], generator: generator);
        ElboTerms terms = vae.Elbo(train.X.index_select(0, idx).to(device), generator);
        Tensor kl = terms.Kl.mean();
        if (freeBits > 0) kl = kl.clamp_min(freeBits * vae.Latent);
        return -terms.Reconstruction.mean() + KlWeight(step) * kl;
    }

    /// <inheritdoc />
    public double Validate(DensityModel model) =>
        VariationalEvaluator.Elbo(AsVae(model), validation, device, validationSeed).NegativeElbo.Mean;

    private static Vae AsVae(DensityModel model) => model as Vae
        ?? throw new ArgumentException($"Variational training needs a VAE; '{model.Config.Name}' is not one.");
}
