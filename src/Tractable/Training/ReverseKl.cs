using Tractable.Data.Energy;
using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// Reverse KL to an unnormalized target (Rezende &amp; Mohamed 2015, eq. 20): minimize
/// <c>E_q[log q(x) − β_t log p̃(x)]</c> over samples of the flow, with the paper's annealing
/// <c>β_t = min(1, 0.01 + t/annealSteps)</c> (no annealing when <c>annealSteps</c> is 0).
/// At β = 1 the loss is <c>KL(q‖p) − log Z</c>.
/// </summary>
public sealed class ReverseKl(PotentialEnergy target, int annealSteps = 0, int validationSamples = 20_000) : ITrainingObjective
{
    /// <summary>The target.</summary>
    public PotentialEnergy Target => target;

    /// <inheritdoc />
    public void Initialize(DensityModel model, Generator generator) => AsFlow(model);

    /// <inheritdoc />
    public Tensor Loss(DensityModel model, int batchSize, int step, Generator generator)
    {
        double beta = annealSteps > 0 ? Math.Min(1.0, 0.01 + (double)step / annealSteps) : 1.0;
        (Tensor x, Tensor logQ) = AsFlow(model).SampleWithLogProb(batchSize, generator: generator);
        return (logQ - beta * target.LogUnnormalized(x)).mean();
    }

    /// <inheritdoc />
    public double Validate(DensityModel model) => Validate(model, null);

    /// <inheritdoc />
    /// <remarks>The batch size is the number of draws per pass; null draws all of them at once.</remarks>
    public double Validate(DensityModel model, int? batchSize) => Estimate(model, validationSamples, seed: 12345, batchSize);

    /// <summary>
    /// A Monte Carlo estimate of <c>E_q[log q − log p̃] = KL(q‖p) − log Z</c> from <paramref name="samples"/> draws, made
    /// <paramref name="batchSize"/> at a time (null: all at once).
    /// </summary>
    public double Estimate(DensityModel model, int samples, long seed, int? batchSize = null)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "The estimate needs at least one draw.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        using var _ = no_grad();
        using var g = new Generator((ulong)seed);
        int batch = batchSize ?? samples;
        double sum = 0;
        for (int start = 0; start < samples; start += batch)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batch, samples - start);
            (Tensor x, Tensor logQ) = AsFlow(model).SampleWithLogProb(n, generator: g);
            // Each batch's mean weighted by its size: with one batch this is exactly that batch's mean.
            sum += (double)(logQ - target.LogUnnormalized(x)).mean().item<float>() * n;
        }
        return sum / samples;
    }

    private static Flow AsFlow(DensityModel model) => model as Flow
        ?? throw new ArgumentException($"Reverse-KL fitting needs a flow that samples with its density; '{model.Config.Name}' is not one.");
}
