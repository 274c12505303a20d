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
    public double Validate(DensityModel model) => Estimate(model, validationSamples, seed: 12345);

    /// <summary>A Monte Carlo estimate of <c>E_q[log q − log p̃] = KL(q‖p) − log Z</c> from <paramref name="samples"/> draws.</summary>
    public double Estimate(DensityModel model, int samples, long seed)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g = new Generator((ulong)seed);
        (Tensor x, Tensor logQ) = AsFlow(model).SampleWithLogProb(samples, generator: g);
        return (logQ - target.LogUnnormalized(x)).mean().item<float>();
    }

    private static Flow AsFlow(DensityModel model) => model as Flow
        ?? throw new ArgumentException($"Reverse-KL fitting needs a flow that samples with its density; '{model.Config.Name}' is not one.");
}
