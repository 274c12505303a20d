using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Runs;
using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Distributed;

/// <summary>
/// A model kind's evaluation of a split, shared out among the ranks of a job: each rank scores its contiguous share of
/// the examples, and the per-example sums (count, Σ, Σ²) are added over the ranks, so every rank gets the means and
/// standard errors one process gets for the whole split.
/// </summary>
/// <remarks>
/// Only data of independent examples is shared out. Other data (an energy's Monte Carlo estimate with its fixed seed,
/// a speech stream) and splits smaller than the job are scored whole by every rank, which gives every rank the same
/// figures without any exchange.
/// </remarks>
public static class ShardedEvaluation
{
    /// <summary><paramref name="kind"/>'s figures for <paramref name="model"/> on <paramref name="split"/> of <paramref name="data"/>.</summary>
    public static RunMetrics Evaluate(ICollective collective, ModelKind kind, DensityModel model, RunData data, SplitName split, Device device, RunMetrics header)
    {
        if (collective.Size == 1 || data is not ExampleData examples || examples.Splits.Get(split).Count < collective.Size)
            return kind.Evaluate(model, data, split, device, header);
        DataSplits splits = examples.Splits;
        Split whole = splits.Get(split);
        BatchShard shard = BatchShard.Of(whole.Count, collective);
        // The share keeps its examples' indices, so that each gets the evaluation noise one process gives it.
        RunMetrics local = kind.Evaluate(model, new ExampleData(WithSplit(splits, split, shard.Take(whole))), split, device, header);
        return Combine(local, collective, TensorSizes.Of(whole.X)[1..].Aggregate(1L, (a, b) => a * b));
    }

    /// <summary>
    /// The figures of all ranks' shares as those of the whole split: NLL and gap with their standard errors from their
    /// sums, the true NLL as the mean over all examples, bits/dim from the combined NLL.
    /// </summary>
    public static RunMetrics Combine(RunMetrics local, ICollective collective, long dimensions)
    {
        MomentSums nll = local.NllNats is double m ? MomentSums.Of(new MeanEstimate(m, local.NllStderr ?? 0, local.NumExamples)) : default;
        MomentSums gap = local.GapNats is double g ? MomentSums.Of(new MeanEstimate(g, local.GapStderr ?? 0, local.NumExamples)) : default;
        double trueSum = (local.TrueNllNats ?? 0) * local.NumExamples;
        double[] total = collective.Sum(nll.Count, nll.Sum, nll.SumSquares, gap.Count, gap.Sum, gap.SumSquares, trueSum);
        MeanEstimate? allNll = local.NllNats is null ? null : new MomentSums(total[0], total[1], total[2]).ToEstimate();
        MeanEstimate? allGap = local.GapNats is null ? null : new MomentSums(total[3], total[4], total[5]).ToEstimate();
        return local with
        {
            NllNats = allNll?.Mean, NllStderr = allNll?.StandardError, NumExamples = allNll?.Count ?? local.NumExamples,
            GapNats = allGap?.Mean, GapStderr = allGap?.StandardError,
            TrueNllNats = local.TrueNllNats is null ? null : total[6] / total[0],
            BitsPerDim = local.BitsPerDim is null || allNll is null ? local.BitsPerDim : Evaluator.BitsPerDim(allNll.Value.Mean, dimensions),
        };
    }

    /// <summary><paramref name="splits"/> with <paramref name="name"/> replaced by <paramref name="part"/>, everything known about the data kept.</summary>
    private static DataSplits WithSplit(DataSplits splits, SplitName name, Split part) =>
        new(splits.Name, name == SplitName.Train ? part : splits.Train, name == SplitName.Validation ? part : splits.Validation,
            name == SplitName.Test ? part : splits.Test)
        {
            NumClasses = splits.NumClasses, TrueLogProb = splits.TrueLogProb, Levels = splits.Levels,
            StandardizeByDefault = splits.StandardizeByDefault,
        };
}
