using static TorchSharp.torch;

namespace Tractable.Transforms.Elementwise;

/// <summary>How the raw scale output of a conditioner is kept in a safe range.</summary>
public enum ScaleBound
{
    /// <summary><c>log s = c·tanh(raw / c)</c>, a soft clamp to (−c, c) (RealNVP bounds its scale with tanh).</summary>
    Tanh,
    /// <summary><c>s = sigmoid(raw + 2) + 1e-3</c> (Glow's code; nflows), contracting only.</summary>
    Sigmoid,
}

/// <summary>
/// The affine map <c>y = x·s + t</c>, <c>log|dy/dx| = log s</c> (RealNVP, Dinh et al. 2017, arXiv:1605.08803,
/// eq. 6–7). Parameters: the shift <c>t</c>, then the raw scale, bounded by <see cref="ScaleBound"/>.
/// A zero conditioner output gives the identity with the tanh bound.
/// </summary>
public sealed class AffineMap(ScaleBound bound = ScaleBound.Tanh, double clamp = 3.0) : ElementwiseMap
{
    /// <inheritdoc />
    public override int ParametersPerElement => 2;

    /// <summary>The bound applied to the raw scale.</summary>
    public ScaleBound Bound { get; } = bound;

    /// <inheritdoc />
    internal override (Tensor Output, Tensor LogAbsDet)? MaskedPass(Tensor x, Tensor parameters, Tensor mask, bool inverse) =>
        MaskedAffinePass.TryApply(x, parameters, mask, Bound, clamp, inverse);

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor parameters)
    {
        var p = Split(parameters);
        Tensor logScale = LogScale(p[1]);
        return (addcmul(p[0], x, logScale.exp(), 1), logScale);
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor parameters)
    {
        var p = Split(parameters);
        Tensor logScale = LogScale(p[1]);
        return ((y - p[0]) * (-logScale).exp(), -logScale);
    }

    private Tensor LogScale(Tensor raw) => Bound switch
    {
        // c·tanh(r/c) = 2c·σ(2r/c) − c: libtorch's sigmoid is vectorized, its tanh is not.
        ScaleBound.Tanh => nn.functional.sigmoid(raw * (2 / clamp)).mul(2 * clamp).sub_(clamp),
        // log(sigmoid(r + 2) + 1e-3): the argument is at least 1e-3, so the log is safe.
        _ => (nn.functional.sigmoid(raw + 2) + 1e-3).log(),
    };
}
