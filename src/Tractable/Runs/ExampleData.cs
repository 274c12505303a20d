using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Runtime;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>Independent examples split three ways (vectors, tables, images), fitted by maximum likelihood.</summary>
public sealed class ExampleData(DataSplits splits) : RunData
{
    /// <summary>The splits.</summary>
    public DataSplits Splits => splits;

    /// <inheritdoc />
    public override string Name => splits.Name;

    /// <inheritdoc />
    public override string Description => splits.Describe();

    /// <inheritdoc />
    public override DataKind Kind => DataKind.Examples;

    /// <inheritdoc />
    public override DataShape Shape => new(splits.EventShape, splits.NumClasses, splits.Levels, splits.StandardizeByDefault);

    /// <inheritdoc />
    public override double TestToValidationRatio =>
        splits.Get(SplitName.Test).X.size(0) / (double)Math.Max(1, splits.Get(SplitName.Validation).X.size(0));

    /// <inheritdoc />
    public override IReadOnlyList<string>? FeatureNames => splits.FeatureNames;

    /// <inheritdoc />
    public override ITrainingObjective CreateObjective(RunSpec spec, Device device) => new MaximumLikelihood(splits, device);

    /// <inheritdoc />
    public override RunMetrics Evaluate(DensityModel model, SplitName split, Device device, RunMetrics header, int? batchSize = null)
    {
        Split examples = splits.Get(split);
        MeanEstimate nll;
        MeanEstimate? gap = null;
        double? trueNll = null;
        if (splits.TrueLogProb is { } truth)
        {
            (nll, MeanEstimate excess) = Evaluator.NllAndGap(model, truth, examples, device, batchSize ?? Evaluator.DefaultBatchSize);
            gap = excess;
            trueNll = Evaluator.TrueNegativeLogLikelihood(truth, examples).Mean;
        }
        else
        {
            nll = Evaluator.NegativeLogLikelihood(model, examples, device, batchSize ?? Evaluator.DefaultBatchSize);
        }
        long dims = TensorSizes.Of(examples.X)[1..].Aggregate(1L, (a, b) => a * b);
        return header with
        {
            NllNats = nll.Mean, NllStderr = nll.StandardError, TrueNllNats = trueNll, GapNats = gap?.Mean, GapStderr = gap?.StandardError,
            BitsPerDim = splits.IsDiscrete ? Evaluator.BitsPerDim(nll.Mean, dims) : null, NumExamples = nll.Count,
        };
    }
}
