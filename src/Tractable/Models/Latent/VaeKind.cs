using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Runs;
using Tractable.Runtime;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Models.Latent;

/// <summary>
/// VAEs whose diagonal Gaussian posterior is refined by flow steps (Rezende &amp; Mohamed 2015; Kingma et al. 2016):
/// trained on the ELBO, scored by the importance-weighted bound of Burda et al. (2016) as <c>nll_nats</c> beside the
/// ELBO, its KL and reconstruction terms.
/// </summary>
public sealed class VaeKind : ModelKind<VaeConfig>
{
    /// <inheritdoc />
    public override string Name => "vae";

    /// <inheritdoc />
    public override string Summary => "VAE with planar, radial or IAF posterior steps (Rezende & Mohamed 2015, Kingma et al. 2016)";

    /// <inheritdoc />
    public override DataKind Accepts => DataKind.Examples;

    /// <inheritdoc />
    public override DataShape TypicalData => new([1, 28, 28], NumClasses: 10, Levels: 2);

    /// <inheritdoc />
    protected override VaeConfig Configure(DataShape data)
    {
        try
        {
            return new VaeConfig { KlWarmupSteps = 2000 }.ForData(data.EventShape, data.Levels);
        }
        catch (ArgumentException e)
        {
            throw new InvalidSettingException("data", e.Message);
        }
    }

    /// <inheritdoc />
    /// <remarks>Batch 100 and Adam 1e-3, the MNIST setting of the IAF and Sylvester papers.</remarks>
    public override TrainingDefaults Defaults(DataShape data) =>
        new(new TrainerOptions { BatchSize = 100, Steps = 20_000, EvalEvery = 1000, CheckpointEvery = 1000 });

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Choice<PosteriorFlow>("posterior", "flow steps refining the diagonal Gaussian posterior", c => c.Posterior, (c, v) => c with { Posterior = v }),
        Count("flow-steps", "posterior flow steps K (0 with posterior none)", c => c.FlowSteps, (c, v) => c with { FlowSteps = v }, min: 0, max: 256),
        Count("latent", "latent dimensions", c => c.Latent, (c, v) => c with { Latent = v }),
        Choice<VaeArchitecture>("architecture", "encoder and decoder networks", c => c.Architecture, (c, v) => c with { Architecture = v }),
        Choice<DecoderKind>("decoder", "p(x|z)", c => c.Decoder, (c, v) => c with { Decoder = v }),
        Count("hidden", "hidden units of the MLP encoder and decoder", c => c.HiddenFeatures, (c, v) => c with { HiddenFeatures = v }),
        Count("hidden-layers", "hidden layers of the MLP encoder and decoder", c => c.HiddenLayers, (c, v) => c with { HiddenLayers = v }, min: 0),
        Count("iw-samples", "importance samples per example of the reported NLL (the papers use 5000)", c => c.ImportanceSamples,
            (c, v) => c with { ImportanceSamples = v }, max: 100_000),
        Count("kl-warmup", "steps over which the KL weight rises from 0 to 1", c => c.KlWarmupSteps, (c, v) => c with { KlWarmupSteps = v }, min: 0, max: int.MaxValue),
        Number("free-bits", "free bits per latent dimension (nats)", c => c.FreeBits, (c, v) => c with { FreeBits = v }, 0, 10),
    ];

    /// <inheritdoc />
    public override ITrainingObjective CreateObjective(RunData data, RunSpec spec, Device device)
    {
        var config = (VaeConfig)CreateConfig(data.Shape, spec.EffectiveModelOptions());
        return new EvidenceLowerBound(((ExampleData)data).Splits, device, config.KlWarmupSteps, config.FreeBits);
    }

    /// <inheritdoc />
    /// <remarks>Validation is one ELBO pass; the test figures add the importance-weighted bound's k passes.</remarks>
    public override double FinalEvaluationCost(RunData data, ModelConfig config) =>
        base.FinalEvaluationCost(data, config) * (1 + ((VaeConfig)config).ImportanceSamples);

    /// <inheritdoc />
    public override RunMetrics Evaluate(DensityModel model, RunData data, SplitName split, Device device, RunMetrics header)
    {
        var vae = (Vae)model;
        Split examples = ((ExampleData)data).Splits.Get(split);
        Evaluator.CheckShape(model, examples.X);
        ElboEstimate elbo = VariationalEvaluator.Elbo(vae, examples, device);
        MeanEstimate nll = VariationalEvaluator.ImportanceWeightedNll(vae, examples, vae.Settings.ImportanceSamples, device);
        long dims = TensorSizes.Of(examples.X)[1..].Aggregate(1L, (a, b) => a * b);
        return header with
        {
            NllNats = nll.Mean, NllStderr = nll.StandardError, NumExamples = nll.Count, IwSamples = vae.Settings.ImportanceSamples,
            ElboNats = elbo.NegativeElbo.Mean, ElboStderr = elbo.NegativeElbo.StandardError, KlNats = elbo.Kl.Mean,
            ReconstructionNats = elbo.Reconstruction.Mean,
            BitsPerDim = data.Shape.Levels is null ? null : Evaluator.BitsPerDim(nll.Mean, dims),
        };
    }
}
