using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Models;

/// <summary>MAF (Papamakarios et al. 2017): affine autoregressive layers, order reversed between layers.</summary>
public sealed class MafKind : AutoregressiveKind<MafConfig>
{
    /// <inheritdoc />
    public override string Name => "maf";

    /// <inheritdoc />
    public override string Summary => "MAF (Papamakarios et al. 2017): a stack of MADE affine layers, reversed orders";

    /// <inheritdoc />
    protected override MafConfig Fresh() => new();

    /// <inheritdoc />
    /// <remarks>
    /// On vectors: 3× the learning rate and 4× the steps of the trainer's defaults with Polyak averaging (decay 0.999),
    /// the settings that reached MAF(5)'s 0.05-nat gap on 8 gaussians (docs/maf.md).
    /// </remarks>
    public override TrainingDefaults Defaults(DataShape data) => data.EventShape.Length == 3
        ? base.Defaults(data)
        : new TrainingDefaults(new TrainerOptions { LearningRate = 3e-3, Steps = 40_000, AverageDecay = 0.999 });

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() => [.. LayerOptions(), .. SharedOptions()];

    /// <summary>The options of MAF's stack: its depth and batch normalization.</summary>
    internal static IEnumerable<ModelOption> LayerOptions() =>
    [
        Count("layers", "autoregressive layers (MAF(5) in the paper's tables)", c => c.Layers, (c, v) => c with { Layers = v }),
        Flag("batch-norm", "a batch-normalization bijector after each layer (§3.4)", c => c.BatchNorm, (c, v) => c with { BatchNorm = v }),
    ];
}
