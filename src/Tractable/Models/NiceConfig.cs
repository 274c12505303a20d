using Tractable.Distributions;
using Tractable.Networks;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;

namespace Tractable.Models;

/// <summary>
/// NICE (Dinh et al. 2014, arXiv:1410.8516): additive couplings with alternating masks (the paper uses four)
/// and a final diagonal scaling layer; the paper's prior is the standard logistic.
/// </summary>
public sealed record NiceConfig : VectorFlowConfig
{
    /// <summary>NICE uses the logistic prior by default (§3.4).</summary>
    public NiceConfig() => BaseDistribution = BaseDistributionKind.Logistic;

    /// <inheritdoc />
    public override string Name => "nice";

    /// <summary>Number of additive coupling layers (the paper's four).</summary>
    public int Couplings { get; init; } = 4;

    /// <summary>Width of the coupling networks' hidden layers.</summary>
    public int HiddenFeatures { get; init; } = 128;

    /// <summary>Hidden layers per coupling network.</summary>
    public int HiddenLayers { get; init; } = 3;

    /// <summary>Hidden non-linearity.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ValidateCouplings(Couplings, HiddenFeatures, HiddenLayers, Activation);
    }

    /// <inheritdoc />
    public override long EstimatedStateSize() =>
        ConfigCheck.Sum(ConfigCheck.Product(Couplings, MlpSize(Features, Features, HiddenFeatures, HiddenLayers)), Features);

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        var steps = new List<Bijector>(Preprocessing());
        for (int i = 0; i < Couplings; i++)
        {
            var net = new Mlp(Features, Features, HiddenFeatures, HiddenLayers, ContextFeatures, Activation);
            steps.Add(new MaskedCoupling(MaskedCoupling.AlternatingMask(Features, i % 2 == 1), net, new AdditiveMap()));
        }
        steps.Add(new DiagonalScaling(Features));
        return new Flow(this, new Chain(steps), CreateBase());
    }
}
