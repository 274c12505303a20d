using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Models;

/// <summary>Glow (Kingma &amp; Dhariwal 2018): ActNorm, invertible 1×1 convolutions, affine couplings, multi-scale.</summary>
public sealed class GlowKind : ImageFlowKind<GlowConfig>
{
    /// <inheritdoc />
    public override string Name => "glow";

    /// <inheritdoc />
    public override string Summary => "Glow (Kingma & Dhariwal 2018): ActNorm, invertible 1x1 convolutions, affine couplings";

    /// <inheritdoc />
    protected override GlowConfig Fresh() => new();

    /// <inheritdoc />
    /// <remarks>Glow trained fastest at twice RealNVP's learning rate on MNIST (docs/image-flows.md).</remarks>
    public override TrainingDefaults Defaults(DataShape data)
    {
        TrainingDefaults shared = base.Defaults(data);
        return shared with { Trainer = shared.Trainer with { LearningRate = 2e-3 } };
    }

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "flow steps per level (K)", c => c.StepsPerLevel, (c, v) => c with { StepsPerLevel = v }),
        Count("hidden", "hidden channels of the coupling networks", c => c.HiddenChannels, (c, v) => c with { HiddenChannels = v }),
        Count("levels", "levels L (each squeezes by 2)", c => c.Levels, (c, v) => c with { Levels = v }, max: 8),
        Conditional(c => c.NumClasses, (c, k) => c with { NumClasses = k }),
    ];
}
