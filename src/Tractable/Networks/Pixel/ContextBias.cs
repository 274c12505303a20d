using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// Conditioning of the gated pixel networks: <c>V h</c>, a linear map of the conditioning vector <c>h</c> (one-hot
/// labels), added to the pre-activations at every position (van den Oord et al. 2016, arXiv:1606.05328, eq. 4), or
/// <c>V * s</c>, the same map applied position by position to a spatial map <c>s = m(h)</c> (location-dependent
/// conditioning, §2.3).
/// </summary>
public static class ContextBias
{
    /// <summary>
    /// Adds <c>V h</c> (<paramref name="context"/> <c>[B, K]</c>) or, when <paramref name="spatial"/>, <c>V * s</c>
    /// (<paramref name="context"/> <c>[B, K, ...]</c> with the positions of <paramref name="x"/>) to pre-activations
    /// <paramref name="x"/> <c>[B, 2p, ...]</c>; without <paramref name="condition"/> (an unconditional network) returns
    /// <paramref name="x"/> unchanged.
    /// </summary>
    public static Tensor Add(Tensor x, Linear? condition, Tensor? context, bool spatial = false)
    {
        if (condition is null) return x;
        if (context is null) throw new ArgumentException("This network is conditional: a context is required.");
        // A 1×1 convolution is the linear map applied to the channels at every position: [B, K, ...] → [B, 2p, ...].
        if (spatial) return x + condition.forward(context.movedim([1], [-1])).movedim([-1], [1]);
        Tensor bias = condition.forward(context);
        for (int d = 2; d < x.dim(); d++) bias = bias.unsqueeze(-1);
        return x + bias;
    }
}
