namespace Tractable.Evaluation;

/// <summary>The figures every <c>train</c> and <c>eval</c> writes to <c>metrics.json</c> (snake_case keys).</summary>
public sealed record RunMetrics
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>Dataset name.</summary>
    public required string Dataset { get; init; }

    /// <summary>The split evaluated.</summary>
    public required string Split { get; init; }

    /// <summary>What one NLL figure is per: an example, or one sample of a sequence.</summary>
    public LikelihoodUnit Unit { get; init; }

    /// <summary>Mean NLL per example in nats (per audio sample for sequence models; null for reverse-KL fits, which have no test data).</summary>
    public double? NllNats { get; init; }

    /// <summary>Standard error of <see cref="NllNats"/>.</summary>
    public double? NllStderr { get; init; }

    /// <summary>Mean NLL of the same examples under the true density, when it is known.</summary>
    public double? TrueNllNats { get; init; }

    /// <summary><c>nll − true nll</c>: an estimate of KL(p‖model), when the true density is known.</summary>
    public double? GapNats { get; init; }

    /// <summary>Standard error of <see cref="GapNats"/>, paired over the examples (<see cref="Evaluator.NllAndGap"/>).</summary>
    public double? GapStderr { get; init; }

    /// <summary>Bits per dimension, for discrete data (bits per audio sample for sequence models).</summary>
    public double? BitsPerDim { get; init; }

    /// <summary>For latent-variable models: the negative ELBO in nats (an upper bound on the NLL).</summary>
    public double? ElboNats { get; init; }

    /// <summary>Standard error of <see cref="ElboNats"/>.</summary>
    public double? ElboStderr { get; init; }

    /// <summary>For latent-variable models: the mean KL term of the ELBO, <c>E_q[log q(z|x) − log p(z)]</c>, in nats.</summary>
    public double? KlNats { get; init; }

    /// <summary>For latent-variable models: the mean reconstruction term <c>−E_q[log p(x|z)]</c> in nats.</summary>
    public double? ReconstructionNats { get; init; }

    /// <summary>For latent-variable models: the importance samples per example of <see cref="NllNats"/> (Burda et al. 2016).</summary>
    public int? IwSamples { get; init; }

    /// <summary>For reverse-KL fits: the estimate of KL(q‖p) with log Z computed on a grid.</summary>
    public double? ReverseKlNats { get; init; }

    /// <summary>For reverse-KL fits: the target's log-normalizer computed on a grid.</summary>
    public double? LogZ { get; init; }

    /// <summary>For sequence models: the receptive field in samples.</summary>
    public int? ReceptiveField { get; init; }

    /// <summary>Number of examples (or Monte Carlo samples, or audio samples for sequence models) evaluated.</summary>
    public long NumExamples { get; init; }

    /// <summary>Optimizer steps taken.</summary>
    public long TrainSteps { get; init; }

    /// <summary>Wall-clock seconds of training.</summary>
    public double TrainSeconds { get; init; }

    /// <summary>Trainable parameters.</summary>
    public long Parameters { get; init; }

    /// <summary>Steps skipped because the loss or gradient was not finite.</summary>
    public long SkippedSteps { get; init; }

    /// <summary>The device used.</summary>
    public string? Device { get; init; }
}

/// <summary>What one likelihood figure of <see cref="RunMetrics"/> is per.</summary>
public enum LikelihoodUnit
{
    /// <summary>Per example (bits per dimension for discrete data).</summary>
    Example,

    /// <summary>Per sample of a sequence (bits per sample).</summary>
    Sample,
}
