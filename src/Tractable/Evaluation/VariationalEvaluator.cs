using Tractable.Data;
using Tractable.Models.Latent;
using static TorchSharp.torch;

namespace Tractable.Evaluation;

/// <summary>The ELBO of a split and its two terms, in nats per example (means with standard errors over examples).</summary>
/// <param name="NegativeElbo"><c>−ELBO</c>, an upper bound on the NLL.</param>
/// <param name="Kl">The KL term <c>KL(q(z|x) ‖ p(z))</c>.</param>
/// <param name="Reconstruction">The reconstruction term <c>−E_q[log p(x|z)]</c>.</param>
public sealed record ElboEstimate(MeanEstimate NegativeElbo, MeanEstimate Kl, MeanEstimate Reconstruction);

/// <summary>
/// Test figures of a VAE: −ELBO with its terms, and the importance-weighted NLL of Burda et al. 2016 (arXiv:1509.00519),
/// computed without gradients in batches, each in its own dispose scope, from a seeded generator so that a figure is
/// reproducible. Standard errors are over examples.
/// </summary>
public static class VariationalEvaluator
{
    /// <summary>−ELBO, KL and reconstruction of every example of <paramref name="split"/> from one posterior sample each.</summary>
    public static ElboEstimate Elbo(Vae model, Split split, Device device, long seed = 0, int batchSize = 500)
    {
        MeanEstimate[] m = PerExample(model, split, device, seed, batchSize, (x, g) =>
        {
            ElboTerms terms = model.Elbo(x, g);
            return [-terms.Elbo, terms.Kl, -terms.Reconstruction];
        });
        return new ElboEstimate(m[0], m[1], m[2]);
    }

    /// <summary>
    /// <c>−log p̂_k(x)</c>, the importance-weighted estimate with <paramref name="samples"/> samples per example: an upper
    /// bound on the NLL in expectation that tightens as k grows (the papers use k = 5000). The <c>k·N</c> decoder passes run
    /// in passes of at most <paramref name="pairsPerPass"/> (default <see cref="Vae.PairsPerPass"/>) pairs.
    /// </summary>
    public static MeanEstimate ImportanceWeightedNll(Vae model, Split split, int samples, Device device, long seed = 0,
        int? pairsPerPass = null, int batchSize = 500) =>
        PerExample(model, split, device, seed, batchSize, (x, g) => [-model.ImportanceWeightedLogProb(x, samples, g, pairsPerPass)])[0];

    private static MeanEstimate[] PerExample(Vae model, Split split, Device device, long seed, int batchSize,
        Func<Tensor, Generator, Tensor[]> figures)
    {
        using var generator = new Generator((ulong)seed, device);
        return Evaluator.PerBatch(model, split, device, batchSize, (start, n) => figures(split.X.narrow(0, start, n).to(device), generator));
    }
}
