using static TorchSharp.torch;

namespace Tractable.Transforms.Elementwise;

/// <summary>
/// IAF's numerically stable update <c>y = σ·x + (1 − σ)·m</c> with <c>σ = sigmoid(s + gateBias)</c>
/// (Kingma et al. 2016, arXiv:1606.04934, eq. 13–14), <c>log|dy/dx| = log σ = −softplus(−s')</c>. Parameters:
/// the mean <c>m</c>, then the raw gate <c>s</c>. A positive gate bias starts σ near 1, close to the identity (§4).
/// </summary>
/// <remarks>The map's forward is IAF's sampling update; <see cref="MaskedAutoregressive"/> applies it in its one-pass
/// direction, which an IAF flow (an <see cref="InverseBijector"/>) uses for sampling.</remarks>
public sealed class SigmoidGatedMap(double gateBias = 2.0) : ElementwiseMap
{
    /// <inheritdoc />
    public override int ParametersPerElement => 2;

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor parameters)
    {
        var p = Split(parameters);
        Tensor s = p[1] + gateBias;
        Tensor gate = nn.functional.sigmoid(s);
        return (gate * x + (1 - gate) * p[0], -nn.functional.softplus(-s));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor parameters)
    {
        var p = Split(parameters);
        Tensor s = p[1] + gateBias;
        // 1 − σ(s) = σ(−s) and 1/σ(s) = exp(softplus(−s)): no cancellation for large |s|.
        Tensor logInverseGate = nn.functional.softplus(-s);
        return ((y - nn.functional.sigmoid(-s) * p[0]) * logInverseGate.exp(), logInverseGate);
    }
}
