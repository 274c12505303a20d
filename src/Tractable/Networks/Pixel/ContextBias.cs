using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// Class conditioning of the gated pixel networks: <c>V h</c>, a linear map of the conditioning vector <c>h</c> (one-hot
/// labels), added to the pre-activations at every position (van den Oord et al. 2016, arXiv:1606.05328, eq. 4).
/// </summary>
public static class ContextBias
{
    /// <summary>
    /// Adds <c>V h</c> <c>[B, K]</c> to pre-activations <paramref name="x"/> <c>[B, K, ...]</c>; without
    /// <paramref name="condition"/> (an unconditional network) returns <paramref name="x"/> unchanged.
    /// </summary>
    public static Tensor Add(Tensor x, Linear? condition, Tensor? context)
    {
        if (condition is null) return x;
        if (context is null) throw new ArgumentException("This network is class-conditional: a context is required.");
        Tensor bias = condition.forward(context);
        for (int d = 2; d < x.dim(); d++) bias = bias.unsqueeze(-1);
        return x + bias;
    }
}
