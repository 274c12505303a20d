using Tractable.Transforms;
using Tractable.Transforms.Elementwise;

namespace Tractable.Models;

/// <summary>
/// Masked Autoregressive Flow (Papamakarios et al. 2017, arXiv:1705.07057): a stack of affine autoregressive layers
/// whose order is reversed between layers, with optional batch-normalization bijectors after each (§3.4), over a
/// standard normal or, with <see cref="BaseComponents"/> &gt; 0, over a MADE MoG (MAF MoG, §4).
/// </summary>
public sealed record MafConfig : AutoregressiveConfig
{
    /// <inheritdoc />
    public override string Name => BaseComponents > 0 ? "maf-mog" : "maf";

    /// <summary>Number of autoregressive layers (MAF(5) in the paper's tables).</summary>
    public int Layers { get; init; } = 5;

    /// <summary>Whether a batch-normalization bijector follows each autoregressive layer.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>Gaussians per conditional of a MADE MoG base density (MAF MoG), 0 for a standard normal base.</summary>
    public int BaseComponents { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ConfigCheck.Layers(nameof(Layers), Layers);
        ConfigCheck.InRange(nameof(BaseComponents), BaseComponents, 0, ModelLimits.MaxLayers);
    }

    /// <inheritdoc />
    public override long EstimatedStateSize() =>
        ConfigCheck.Sum(ConfigCheck.Product(Layers, ConfigCheck.Sum(MadeSize(2), 5L * Features)),
            BaseComponents > 0 ? MadeSize(3L * BaseComponents) : 0);

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        var steps = new List<Bijector>(Preprocessing());
        for (int i = 0; i < Layers; i++)
        {
            steps.Add(new MaskedAutoregressive(CreateMade(i, 2), new AffineMap()));
            if (BatchNorm) steps.Add(new BatchNormBijector(Features));
        }
        return CreateFlow(steps, BaseComponents > 0 ? CreateMixture(Layers, BaseComponents) : null);
    }
}
