using Tractable.Cli.CommandLine;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Cli.Runs;

/// <summary>Computes the figures of <c>metrics.json</c> for a trained model.</summary>
public static class RunEvaluation
{
    /// <summary>Bounds over which an energy's normalizer is integrated (the targets' mass lies well inside).</summary>
    public static readonly Bounds2D EnergyBounds = Bounds2D.Square(6);

    /// <summary>Evaluates <paramref name="model"/> on <paramref name="split"/> of <paramref name="data"/>.</summary>
    public static RunMetrics Evaluate(DensityModel model, RunData data, string split, Device device, TrainResult? training, string deviceName)
    {
        var metrics = new RunMetrics
        {
            Model = model.Config.Name, Dataset = data.Name, Split = split, Parameters = model.ParameterCount,
            TrainSteps = training?.Steps ?? 0, TrainSeconds = training?.TrainSeconds ?? 0, SkippedSteps = training?.SkippedSteps ?? 0,
            Device = deviceName,
        };
        if (data.Energy is not null)
        {
            const int samples = 100_000;
            using var scope = NewDisposeScope();      // the 360,000-point grid is freed here, not by the GC
            double logZ = DensityGrid.LogIntegral(DensityGrid.LogDensity(data.Energy.LogUnnormalized, EnergyBounds, 600), EnergyBounds);
            double estimate = new ReverseKl(data.Energy).Estimate(model, samples, seed: 2024);
            return metrics with { ReverseKlNats = estimate + logZ, LogZ = logZ, NumExamples = samples };
        }
        if (data.Speech is not null)
        {
            var wavenet = model as WaveNet ?? throw new UsageException($"Audio is scored by sequence models (wavenet), not '{model.Config.Name}'.");
            SequenceScore score = SequenceEvaluator.Evaluate(wavenet, data.Speech.Get(split), device);
            return metrics with
            {
                NllNats = score.NatsPerSample, BitsPerDim = score.BitsPerSample, NumExamples = score.Samples,
                ReceptiveField = wavenet.ReceptiveField,
            };
        }
        var examples = data.Data!.Get(split);
        MeanEstimate nll;
        MeanEstimate? gap = null;
        double? trueNll = null;
        if (data.Data.TrueLogProb is { } truth)
        {
            (nll, MeanEstimate excess) = Evaluator.NllAndGap(model, truth, examples, device);
            gap = excess;
            trueNll = Evaluator.TrueNegativeLogLikelihood(truth, examples).Mean;
        }
        else
        {
            nll = Evaluator.NegativeLogLikelihood(model, examples, device);
        }
        long dims = examples.X.shape[1..].Aggregate(1L, (a, b) => a * b);
        return metrics with
        {
            NllNats = nll.Mean, NllStderr = nll.StandardError, TrueNllNats = trueNll, GapNats = gap?.Mean, GapStderr = gap?.StandardError,
            BitsPerDim = data.Data.IsDiscrete ? Evaluator.BitsPerDim(nll.Mean, dims) : null, NumExamples = nll.Count,
        };
    }
}
