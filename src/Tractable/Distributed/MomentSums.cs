using Tractable.Evaluation;

namespace Tractable.Distributed;

/// <summary>
/// Sums of a per-example figure over examples: the count, <c>Σx</c> and <c>Σx²</c>. Sums add across ranks, so ranks that
/// score disjoint shares of a split and add their sums get the mean and standard error one process gets for the whole.
/// </summary>
/// <param name="Count">The number of examples.</param>
/// <param name="Sum">The sum of the figure.</param>
/// <param name="SumSquares">The sum of its squares.</param>
public readonly record struct MomentSums(double Count, double Sum, double SumSquares)
{
    /// <summary>
    /// The sums behind <paramref name="estimate"/>, whose standard error is <c>√(v/n)</c> with the population variance
    /// <c>v = Σx²/n − mean²</c> (<see cref="Evaluator"/>).
    /// </summary>
    public static MomentSums Of(MeanEstimate estimate)
    {
        double n = estimate.Count;
        double variance = estimate.StandardError * estimate.StandardError * n;
        return new MomentSums(n, estimate.Mean * n, n * (variance + estimate.Mean * estimate.Mean));
    }

    /// <summary>The mean and its standard error (the population variance over <see cref="Count"/>, as <see cref="Evaluator"/> reports it).</summary>
    public MeanEstimate ToEstimate()
    {
        double mean = Sum / Count;
        double variance = Math.Max(0, SumSquares / Count - mean * mean);
        return new MeanEstimate(mean, Math.Sqrt(variance / Count), (long)Math.Round(Count));
    }

    /// <summary>These sums added over all ranks.</summary>
    public MomentSums OverRanks(ICollective collective)
    {
        double[] total = collective.Sum(Count, Sum, SumSquares);
        return new MomentSums(total[0], total[1], total[2]);
    }
}
