using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Distributions;

/// <summary>
/// Draws from categorical distributions by the inverse CDF, one uniform per draw: the smallest category whose
/// cumulative probability exceeds the uniform. Two computations of the same logits that differ by rounding then draw
/// the same categories from the same uniforms, except when a uniform falls within the rounding of a CDF step
/// (probability zero in the limit), which is why naive and cached samplers agree.
/// </summary>
public static class InverseCdf
{
    /// <summary>
    /// The categories drawn from <c>softmax(logits / temperature)</c> along <paramref name="dim"/>; <paramref name="u"/>
    /// has the shape of <paramref name="logits"/> without that dimension, and so has the result (int64). The CDF is
    /// summed in the logits' dtype (pass float64 where two samplers must agree closely).
    /// </summary>
    public static Tensor Draw(Tensor logits, Tensor u, double temperature = 1.0, int dim = -1)
    {
        int d = dim < 0 ? dim + (int)logits.dim() : dim;
        Tensor cdf = (logits / temperature).softmax(d).cumsum(d);
        // The bound held in a variable until the call returns: an implicit temporary Scalar may be finalized, and its
        // native value freed, while libtorch still reads it ("Unknown scalar type" in a sampling run).
        using Scalar last = (logits.size(d) - 1).ToScalar();
        return (cdf < u.unsqueeze(d).to(cdf.dtype)).sum(d).clamp_max(last);
    }
}
