using Tractable.Networks;
using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Models;

/// <summary>
/// What the MADE, MAF and IAF kinds share: vectors, tables or images (flattened inside the model, dequantized when
/// discrete), the MADE conditioners' options, and class conditioning through a one-hot context.
/// </summary>
public abstract class AutoregressiveKind<TConfig> : ModelKind<TConfig> where TConfig : AutoregressiveConfig
{
    /// <inheritdoc />
    public override DataKind Accepts => DataKind.Examples;

    /// <inheritdoc />
    public override DataShape TypicalData => new([2]);

    /// <summary>The kind's configuration before the data is known.</summary>
    protected abstract TConfig Fresh();

    /// <inheritdoc />
    protected override TConfig Configure(DataShape data)
    {
        ImageSize? image = data.EventShape.Length switch
        {
            1 => null,
            3 => new ImageSize((int)data.EventShape[0], (int)data.EventShape[1], (int)data.EventShape[2]),
            _ => throw new InvalidSettingException("data",
                $"Model '{Name}' models vectors or [C, H, W] images, not examples of shape [{string.Join(", ", data.EventShape)}]."),
        };
        return Fresh() with { Features = data.Features, Image = image, Levels = data.Levels, Standardize = data.Standardize };
    }

    /// <inheritdoc />
    /// <remarks>Images train in batches of 100 (the MAF paper's), which keeps a 784-dimensional MADE's activations small.</remarks>
    public override TrainingDefaults Defaults(DataShape data) => data.EventShape.Length == 3
        ? new TrainingDefaults(new TrainerOptions { BatchSize = 100, EvalEvery = 200, CheckpointEvery = 200, EvaluationBatchSize = 500 })
        : TrainingDefaults.Standard;

    /// <summary>The options of every autoregressive kind: MADE size, non-linearity, order, conditioning, standardization.</summary>
    protected IEnumerable<ModelOption> SharedOptions() =>
    [
        Count("hidden", "hidden units per MADE layer", c => c.HiddenFeatures, (c, v) => c with { HiddenFeatures = v }),
        Count("hidden-layers", "hidden layers per MADE", c => c.HiddenLayers, (c, v) => c with { HiddenLayers = v }),
        Choice<Activation>("activation", "hidden non-linearity", c => c.Activation, (c, v) => c with { Activation = v }),
        Choice<FeatureOrder>("order", "the first layer's order (later layers alternate it, or draw a new random one)",
            c => c.Order, (c, v) => c with { Order = v }),
        Conditional(c => c.LabelClasses, (c, k) => c with { ContextFeatures = k, LabelClasses = k }),
        Flag("standardize", "standardize the data inside the model (default: on for tables)", c => c.Standardize, (c, v) => c with { Standardize = v }),
    ];
}
