using static TorchSharp.torch;

namespace Tractable.Transforms.Amortized;

/// <summary>
/// A radial step whose parameters come per example from an encoder (Rezende &amp; Mohamed 2015, arXiv:1505.05770, §4):
/// <c>f(z) = z + β·(z − z₀)/(α + ‖z − z₀‖)</c> in the noise-to-data direction, with the context <c>[B, D + 2]</c> holding
/// each example's raw <c>(z₀, α′, β′)</c>, constrained to <c>α = softplus(α′) &gt; 0</c>, <c>β = −α + softplus(β′) &gt; −α</c>
/// (invertibility, Appendix A.2).
/// </summary>
/// <remarks>
/// Unlike the planar map, the radial map is inverted in closed form along its ray (<see cref="RadialFlow.Pull"/>), so
/// both directions are available.
/// </remarks>
/// <example><c>new AmortizedRadial(32).Inverse(z0, encoderOutput.narrow(1, 0, AmortizedRadial.ContextSize(32)))</c></example>
public sealed class AmortizedRadial(int features) : Bijector(nameof(AmortizedRadial))
{
    /// <summary>The dimension D.</summary>
    public int Features { get; } = features;

    /// <summary>Raw parameters per example for <paramref name="features"/> dimensions: <c>z₀</c>, <c>α′</c> and <c>β′</c>.</summary>
    public static int ContextSize(int features) => features + 2;

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        (Tensor z0, Tensor alpha, Tensor beta) = Unpack(context);
        return RadialFlow.Pull(x, z0, alpha, beta);
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor z, Tensor? context = null)
    {
        (Tensor z0, Tensor alpha, Tensor beta) = Unpack(context);
        return RadialFlow.Push(z, z0, alpha, beta);
    }

    private (Tensor Z0, Tensor AlphaRaw, Tensor BetaRaw) Unpack(Tensor? context)
    {
        if (context is null || context.size(-1) != ContextSize(Features))
            throw new ArgumentException($"An amortized radial step over {Features} dimensions needs a context of {ContextSize(Features)} parameters per example.");
        return (context.narrow(1, 0, Features), context.select(1, Features), context.select(1, Features + 1));
    }
}
