using Tractable.Networks;
using Tractable.Transforms.Elementwise;
using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// A coupling layer over a split of dimension 1 (features of vectors, channels of images): the first part
/// <c>x_a</c> passes unchanged and conditions an element-wise map of the rest, <c>y = (x_a, f(x_b; θ(x_a, context)))</c>,
/// <c>log|det J| = Σ log|f'(x_b)|</c> (Glow, Kingma &amp; Dhariwal 2018, arXiv:1807.03039, §3.3 and Table 1;
/// RealNVP eq. 4–5). The same function as a <see cref="MaskedCoupling"/> with a channel-wise mask, but the conditioner
/// reads only <c>x_a</c> and writes parameters for <c>x_b</c> alone: half the input channels and half the outputs.
/// </summary>
/// <remarks>
/// Shapes: <c>[B, C, …]</c>; the conditioner maps <c>[B, C_a, …]</c> to <see cref="ElementwiseMap.ParametersPerElement"/>
/// blocks of <c>[B, C − C_a, …]</c> stacked along dimension 1. Example (Glow's step on 12 channels, hidden 512):
/// <c>new SplitCoupling(6, new GlowConditioner(6, 2 * 6, 512), new AffineMap(ScaleBound.Sigmoid))</c>.
/// </remarks>
public sealed class SplitCoupling : Bijector
{
    private readonly long kept;
    private readonly ConditionerNetwork conditioner;
    private readonly ElementwiseMap map;

    /// <summary>Builds the layer.</summary>
    /// <param name="kept">How many leading features (channels) pass unchanged and condition the rest.</param>
    /// <param name="conditioner">Maps the kept part (and the context) to the map's parameters for the rest.</param>
    /// <param name="map">The element-wise map applied to the rest.</param>
    public SplitCoupling(long kept, ConditionerNetwork conditioner, ElementwiseMap map) : base(nameof(SplitCoupling))
    {
        if (kept < 1) throw new ArgumentOutOfRangeException(nameof(kept), "A split coupling must keep at least one feature.");
        this.kept = kept;
        this.conditioner = conditioner;
        this.map = map;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        (Tensor a, Tensor b) = Split(x);
        (Tensor y, Tensor ld) = map.Forward(b, conditioner.Forward(a, context));
        return (cat([a, y], 1), SumPerExample(ld));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null)
    {
        (Tensor a, Tensor b) = Split(y);
        (Tensor x, Tensor ld) = map.Inverse(b, conditioner.Forward(a, context));
        return (cat([a, x], 1), SumPerExample(ld));
    }

    private (Tensor Kept, Tensor Transformed) Split(Tensor x)
    {
        if (x.size(1) <= kept)
            throw new ArgumentException($"A split coupling keeping {kept} features needs more than {kept} along dimension 1, got {x.size(1)}.");
        return (x.narrow(1, 0, kept), x.narrow(1, kept, x.size(1) - kept));
    }
}
