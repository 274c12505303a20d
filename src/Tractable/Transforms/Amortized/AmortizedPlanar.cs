using static TorchSharp.torch;

namespace Tractable.Transforms.Amortized;

/// <summary>
/// A planar step whose parameters come per example from an encoder (Rezende &amp; Mohamed 2015, arXiv:1505.05770, §4;
/// amortized as in van den Berg et al. 2018, arXiv:1803.05649, §5): <c>f(z) = z + û·tanh(wᵀz + b)</c> in the
/// noise-to-data direction, with the context <c>[B, 2D + 1]</c> holding each example's raw <c>(u, w, b)</c>.
/// </summary>
/// <remarks>
/// The invertibility constraint <c>wᵀû &gt; −1</c> is applied to every amortized <c>u</c> (<see cref="PlanarFlow.ConstrainU"/>),
/// so no output of the encoder can fold the space. Like <see cref="PlanarFlow"/>, the step has no closed-form inverse:
/// a posterior only ever pushes samples forward through it.
/// </remarks>
/// <example><c>new AmortizedPlanar(32).Inverse(z0, encoderOutput.narrow(1, 0, AmortizedPlanar.ContextSize(32)))</c></example>
public sealed class AmortizedPlanar(int features) : Bijector(nameof(AmortizedPlanar))
{
    /// <summary>The dimension D.</summary>
    public int Features { get; } = features;

    /// <summary>Raw parameters per example for <paramref name="features"/> dimensions: <c>u</c>, <c>w</c> and <c>b</c>.</summary>
    public static int ContextSize(int features) => 2 * features + 1;

    /// <inheritdoc />
    public override BijectorDirections Directions => BijectorDirections.Inverse;

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        throw new DirectionNotAvailableException("A planar step has no closed-form inverse; a posterior only pushes samples through it.");

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor z, Tensor? context = null)
    {
        (Tensor u, Tensor w, Tensor b) = Unpack(context);
        return PlanarFlow.Push(z, u, w, b);
    }

    /// <summary>The raw <c>u</c> <c>[B, D]</c>, <c>w</c> <c>[B, D]</c> and <c>b</c> <c>[B]</c> in <paramref name="context"/>.</summary>
    public (Tensor U, Tensor W, Tensor B) Unpack(Tensor? context)
    {
        if (context is null || context.size(-1) != ContextSize(Features))
            throw new ArgumentException($"An amortized planar step over {Features} dimensions needs a context of {ContextSize(Features)} parameters per example.");
        return (context.narrow(1, 0, Features), context.narrow(1, Features, Features), context.select(1, 2 * Features));
    }
}
