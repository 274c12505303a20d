using Tractable.Networks;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;

namespace Tractable.Models;

/// <summary>
/// RealNVP for vectors (Dinh et al. 2017, arXiv:1605.08803): affine couplings with a bounded scale and
/// alternating masks, optionally with batch-normalization bijectors and fixed permutations between couplings.
/// </summary>
public sealed record RealNvpConfig : VectorFlowConfig
{
    /// <inheritdoc />
    public override string Name => "realnvp";

    /// <summary>Number of coupling layers.</summary>
    public int Couplings { get; init; } = 12;

    /// <summary>Width of the conditioner's hidden layers.</summary>
    public int HiddenFeatures { get; init; } = 128;

    /// <summary>Number of hidden layers in each conditioner.</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>Hidden non-linearity.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>How the scale is bounded: <c>tanh</c> or <c>sigmoid</c>.</summary>
    public ScaleBound ScaleBound { get; init; } = ScaleBound.Tanh;

    /// <summary>Whether a batch-normalization bijector follows each coupling.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>Between couplings: flip the mask (alternate), or a fixed permutation (reversed, random).</summary>
    public CouplingPermutation Permutation { get; init; } = CouplingPermutation.Alternate;

    /// <summary>Seed of the random permutations (part of the model's identity).</summary>
    public long PermutationSeed { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ValidateCouplings(Couplings, HiddenFeatures, HiddenLayers, Activation);
        ConfigCheck.Defined(nameof(Permutation), Permutation);
    }

    /// <inheritdoc />
    public override long EstimatedStateSize() =>
        ConfigCheck.Product(Couplings, ConfigCheck.Sum(MlpSize(Features, 2L * Features, HiddenFeatures, HiddenLayers), 5L * Features));

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        var steps = new List<Bijector>(Preprocessing());
        for (int i = 0; i < Couplings; i++)
        {
            bool flip = Permutation == CouplingPermutation.Alternate && i % 2 == 1;
            var net = new Mlp(Features, 2 * Features, HiddenFeatures, HiddenLayers, ContextFeatures, Activation);
            steps.Add(new MaskedCoupling(MaskedCoupling.AlternatingMask(Features, flip), net, new AffineMap(ScaleBound)));
            if (BatchNorm) steps.Add(new BatchNormBijector(Features));
            if (i < Couplings - 1 && Permutation != CouplingPermutation.Alternate) steps.Add(PermutationAfter(i));
        }
        return new Flow(this, new Chain(steps), CreateBase());
    }

    /// <summary>The fixed permutation after coupling <paramref name="coupling"/>.</summary>
    private Transforms.Permutation PermutationAfter(int coupling) => Permutation switch
    {
        CouplingPermutation.Reversed => Transforms.Permutation.Reverse(Features),
        CouplingPermutation.Random => Transforms.Permutation.Random(Features, PermutationSeed + coupling),
        _ => throw new ArgumentOutOfRangeException(nameof(Permutation), Permutation, "Not a permutation between couplings."),
    };
}
