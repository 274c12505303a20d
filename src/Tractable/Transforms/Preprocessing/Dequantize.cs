using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Transforms.Preprocessing;

/// <summary>
/// Uniform dequantization of integer data <c>x ∈ {0, …, L−1}</c>: forward adds <c>u ~ U[0, 1)</c>, inverse floors.
/// The continuous density <c>p</c> of <c>x + u</c> bounds the discrete likelihood,
/// <c>log P(x) ≥ E_u[log p(x + u)]</c> (Theis et al. 2016, arXiv:1511.01844, §3.1), so a flow's NLL of
/// dequantized data is an upper bound on the discrete NLL in nats, and bits/dim is that over <c>D ln 2</c>.
/// </summary>
/// <remarks>The noise has unit Jacobian (log-det 0). This is not a bijection of the reals; it is one between the
/// integers and the unit cells above them, which is what the bound needs. The noise comes from
/// <see cref="NoiseSource"/>: the objective's generator in training, a fixed one in evaluation.</remarks>
public sealed class Dequantize : Bijector
{
    /// <summary>Dequantizes data with <paramref name="levels"/> values per dimension (256 for 8-bit images).</summary>
    public Dequantize(int levels) : base(nameof(Dequantize))
    {
        Levels = levels;
        RegisterComponents();
    }

    /// <summary>Number of integer values per dimension.</summary>
    public int Levels { get; }

    /// <inheritdoc />
    /// <remarks>
    /// In floating point, <c>x + u</c> rounds up to <c>x + 1</c> when <c>u</c> is within half an ulp of <c>x + 1</c> below 1
    /// (for float32 near 255, <c>u &gt; 1 − 2⁻¹⁷</c>); such sums are pulled back to the largest value below <c>x + 1</c>,
    /// so that every sample stays in its own cell and the inverse floors it back to <c>x</c>.
    /// </remarks>
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        Tensor next = x + 1;
        return (minimum(x + NoiseSource.Uniform(x), next.nextafter(x)), zeros(x.size(0), dtype: x.dtype, device: x.device));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) =>
        (y.floor().clamp(0, Levels - 1), zeros(y.size(0), dtype: y.dtype, device: y.device));
}
