using Tractable.Data;
using Tractable.Data.Energy;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>An unnormalized 2-D energy (Rezende &amp; Mohamed 2015, Table 1), fitted by reverse KL.</summary>
public sealed class EnergyData(PotentialEnergy energy) : RunData
{
    /// <summary>Bounds over which the energy's normalizer is integrated (the targets' mass lies well inside).</summary>
    public static readonly Bounds2D Bounds = Bounds2D.Square(6);

    /// <summary>Monte Carlo samples of the reverse-KL estimate.</summary>
    public const int EstimateSamples = 100_000;

    /// <summary>The energy.</summary>
    public PotentialEnergy Energy => energy;

    /// <inheritdoc />
    public override string Name => energy.Name;

    /// <inheritdoc />
    public override DataKind Kind => DataKind.Energy;

    /// <inheritdoc />
    public override DataShape Shape => new([2]);

    /// <inheritdoc />
    public override ITrainingObjective CreateObjective(RunSpec spec, Device device) => new ReverseKl(energy, spec.AnnealSteps);

    /// <inheritdoc />
    public override RunMetrics Evaluate(DensityModel model, SplitName split, Device device, RunMetrics header, int? batchSize = null)
    {
        using var scope = NewDisposeScope();      // the 360,000-point grid is freed here, not by the GC
        double logZ = DensityGrid.LogIntegral(DensityGrid.LogDensity(energy.LogUnnormalized, Bounds, 600), Bounds);
        double estimate = new ReverseKl(energy).Estimate(model, EstimateSamples, seed: 2024);
        return header with { ReverseKlNats = estimate + logZ, LogZ = logZ, NumExamples = EstimateSamples };
    }
}
