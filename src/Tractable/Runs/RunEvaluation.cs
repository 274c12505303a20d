using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>Computes the figures of <c>metrics.json</c> for a trained model through its kind.</summary>
public static class RunEvaluation
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="split"/> of <paramref name="data"/>.</summary>
    public static RunMetrics Evaluate(DensityModel model, RunData data, SplitName split, Device device, TrainResult? training)
    {
        EnsureFinite(model);
        ModelKind kind = ModelRegistry.KindOf(model.Config);
        kind.CheckData(data);
        var header = new RunMetrics
        {
            Model = kind.Name, Dataset = data.Name, Split = IO.EnumNames.NameOf(split), Parameters = model.ParameterCount,
            TrainSteps = training?.Steps ?? 0, TrainSeconds = training?.TrainSeconds ?? 0, SkippedSteps = training?.SkippedSteps ?? 0,
            Device = device.type.ToString().ToLowerInvariant(),
        };
        // Distributed hook: under mpirun the ranks share the split out and add up their sums.
        RunMetrics metrics = Distributed.ShardedEvaluation.Evaluate(Distributed.ProcessGroup.Current, kind, model, data, split, device, header);
        if (metrics.NllNats is double nll && !double.IsFinite(nll) || metrics.ReverseKlNats is double kl && !double.IsFinite(kl))
            throw new TrainingDivergedException($"The model's {(metrics.NllNats is null ? "reverse KL" : "likelihood")} on the {header.Split} split is not finite.");
        return metrics;
    }

    /// <summary>Refuses a model whose weights hold NaN or infinite values, which could only give meaningless figures.</summary>
    public static void EnsureFinite(DensityModel model)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, tensor) in model.state_dict())
            if (tensor.is_floating_point() && !tensor.isfinite().all().item<bool>())
                throw new TrainingDivergedException($"The model's weights are not finite ('{name}' holds NaN or infinite values).");
    }
}
