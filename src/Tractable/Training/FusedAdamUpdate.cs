using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>The scalars of one Adam step, with the bias corrections of step t already folded in.</summary>
/// <param name="Beta1">β₁, the first moment's decay.</param>
/// <param name="Beta2">β₂, the second moment's decay.</param>
/// <param name="StepSize">The signed step <c>−lr / (1 − β₁ᵗ)</c>.</param>
/// <param name="RootCorrection2">√(1 − β₂ᵗ).</param>
/// <param name="Eps">ε.</param>
/// <param name="L2">The weight decay added to the gradient (<see cref="Adam"/>), or 0.</param>
/// <param name="Shrink">The factor every weight is multiplied by first (<see cref="AdamW"/>'s <c>1 − lr·λ</c>), or 1.</param>
internal readonly record struct AdamStepScalars(double Beta1, double Beta2, double StepSize, double RootCorrection2, double Eps,
    double L2, double Shrink);

/// <summary>
/// Adam's update (Kingma &amp; Ba 2015, arXiv:1412.6980, Algorithm 1) of flat CPU buffers in one pass over memory:
/// each element's gradient, moments and weight are read once and written once.
/// </summary>
/// <remarks>
/// The same arithmetic as the tensor operations of <see cref="FlatAdam"/>, in the same order. Those are nine passes
/// over buffers of millions of elements that do not stay in cache between passes: for the 1.4 million weights of MAF
/// (5 MADE 2×512) the tensor operations took 6.4 ms a step on one thread, this pass 1.5 ms (docs/benchmarks.md).
/// </remarks>
internal static class FusedAdamUpdate
{
    /// <summary>Elements per thread below which one thread does the whole update.</summary>
    internal const long MinimumPerThread = 1 << 16;

    /// <summary>Whether the buffers can take this path: CPU, contiguous, float32 or float64, addressable by a span.</summary>
    public static bool Supports(Tensor values) =>
        values.device_type == DeviceType.CPU && values.is_contiguous() &&
        (values.dtype == ScalarType.Float32 || values.dtype == ScalarType.Float64) &&
        values.numel() * values.ElementSize <= int.MaxValue;

    /// <summary>
    /// Updates <paramref name="values"/>, <paramref name="firstMoment"/> and <paramref name="secondMoment"/> in place
    /// from <paramref name="gradients"/> (all flat, of one dtype and length), split over <paramref name="parts"/>
    /// threads; the result does not depend on the split.
    /// </summary>
    public static void Apply(Tensor values, Tensor gradients, Tensor firstMoment, Tensor secondMoment, in AdamStepScalars s, int parts)
    {
        long n = values.numel();
        parts = (int)Math.Clamp(n / MinimumPerThread, 1, Math.Max(parts, 1));
        if (parts == 1)
        {
            Range(values, gradients, firstMoment, secondMoment, s, 0, (int)n);
            return;
        }
        // Each part a whole number of cache lines, so that no two threads write one line.
        long chunk = ((n + parts - 1) / parts + 63) & ~63L;
        AdamStepScalars scalars = s;
        OpenMpTeam.For(parts, k =>
        {
            long start = k * chunk;
            if (start < n) Range(values, gradients, firstMoment, secondMoment, scalars, (int)start, (int)Math.Min(chunk, n - start));
        });
    }

    private static void Range(Tensor values, Tensor gradients, Tensor firstMoment, Tensor secondMoment, in AdamStepScalars s, int start, int length)
    {
        if (values.dtype == ScalarType.Float32) Update<float>(values, gradients, firstMoment, secondMoment, s, start, length);
        else Update<double>(values, gradients, firstMoment, secondMoment, s, start, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Update<T>(Tensor values, Tensor gradients, Tensor firstMoment, Tensor secondMoment, in AdamStepScalars s, int start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> theta = Slice<T>(values, start, length), m = Slice<T>(firstMoment, start, length), v = Slice<T>(secondMoment, start, length);
        ReadOnlySpan<T> g = Slice<T>(gradients, start, length);
        T beta1 = T.CreateTruncating(s.Beta1), beta2 = T.CreateTruncating(s.Beta2);
        T keep1 = T.CreateTruncating(1 - s.Beta1), keep2 = T.CreateTruncating(1 - s.Beta2);
        T stepSize = T.CreateTruncating(s.StepSize), root2 = T.CreateTruncating(s.RootCorrection2), eps = T.CreateTruncating(s.Eps);
        T l2 = T.CreateTruncating(s.L2), shrink = T.CreateTruncating(s.Shrink);
        bool coupled = s.L2 != 0, decays = s.Shrink != 1;

        int i = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<T>.Count)
        {
            Vector<T> vBeta1 = new(beta1), vBeta2 = new(beta2), vKeep1 = new(keep1), vKeep2 = new(keep2);
            Vector<T> vStep = new(stepSize), vRoot2 = new(root2), vEps = new(eps), vL2 = new(l2), vShrink = new(shrink);
            Span<Vector<T>> thetas = MemoryMarshal.Cast<T, Vector<T>>(theta), ms = MemoryMarshal.Cast<T, Vector<T>>(m), vs = MemoryMarshal.Cast<T, Vector<T>>(v);
            ReadOnlySpan<Vector<T>> gs = MemoryMarshal.Cast<T, Vector<T>>(g);
            for (int k = 0; k < thetas.Length; k++)
            {
                Vector<T> grad = gs[k], weight = thetas[k];
                if (coupled) grad += vL2 * weight;
                if (decays) weight *= vShrink;
                Vector<T> first = ms[k] * vBeta1 + vKeep1 * grad;
                Vector<T> second = vs[k] * vBeta2 + vKeep2 * (grad * grad);
                ms[k] = first;
                vs[k] = second;
                thetas[k] = weight + vStep * (first / (Vector.SquareRoot(second) / vRoot2 + vEps));
            }
            i = thetas.Length * Vector<T>.Count;
        }
        for (; i < length; i++)
        {
            T grad = g[i], weight = theta[i];
            if (coupled) grad += l2 * weight;
            if (decays) weight *= shrink;
            T first = m[i] * beta1 + keep1 * grad;
            T second = v[i] * beta2 + keep2 * (grad * grad);
            m[i] = first;
            v[i] = second;
            theta[i] = weight + stepSize * (first / (T.Sqrt(second) / root2 + eps));
        }
    }

    private static Span<T> Slice<T>(Tensor flat, int start, int length) where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(flat.bytes).Slice(start, length);
}
