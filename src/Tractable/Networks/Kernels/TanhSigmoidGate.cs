using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tractable.Runtime;

namespace Tractable.Networks.Kernels;

/// <summary>
/// The gated activation unit <c>a = tanh(f) ⊙ σ(g)</c> (PixelCNN, arXiv:1606.05328, eq. 2; WaveNet, arXiv:1609.03499,
/// eq. 2) and its gradient, each in one pass over float32 maps <c>[N, 2P]</c> whose first P values of each row are the
/// filter <c>f</c> and the last P the gate <c>g</c> (the channel halves of <c>[N, 2C, …]</c>, P = C·…).
/// </summary>
/// <remarks>
/// As tensor operations the unit is six passes over memory forward (two sigmoids, three products, a difference) and
/// more backward, each reading and writing maps that do not stay in cache (WaveNet's are 4 MB per half). Here each
/// element is read once and its result written once, with two exponentials and one division. The rows' tails run
/// through the same vector code on a zero-padded copy, so every element gets the same arithmetic.
/// </remarks>
internal static unsafe class TanhSigmoidGate
{
    private const int Lanes = 8;

    /// <summary>Elements per thread below which one thread does the whole map.</summary>
    internal const long MinimumPerThread = 1 << 16;

    /// <summary>
    /// Writes <c>tanh(f) ⊙ σ(g)</c> of <paramref name="x"/> <c>[rows, 2·half]</c> into <paramref name="y"/>
    /// <c>[rows, half]</c>, split over up to <paramref name="threads"/> threads.
    /// </summary>
    public static void Forward(float* x, float* y, int rows, int half, int threads)
    {
        nint xs = (nint)x, ys = (nint)y;
        ForEachSegment(rows, half, threads, (row, start, count) =>
        {
            float* f = (float*)xs + (long)row * 2 * half + start;
            ForwardRange(f, f + half, (float*)ys + (long)row * half + start, count);
        });
    }

    /// <summary>
    /// Writes the gradient <c>[rows, 2·half]</c> of <c>Σ ∂L/∂a ⊙ a</c> with respect to <paramref name="x"/>, given
    /// <paramref name="gradOutput"/> <c>[rows, half]</c>, into <paramref name="gradInput"/>:
    /// <c>∂L/∂f = ∂L/∂a · σ(g) · (1 − tanh² f)</c> and <c>∂L/∂g = ∂L/∂a · tanh f · σ(g) · (1 − σ(g))</c>.
    /// </summary>
    public static void Backward(float* x, float* gradOutput, float* gradInput, int rows, int half, int threads)
    {
        nint xs = (nint)x, gs = (nint)gradOutput, ds = (nint)gradInput;
        ForEachSegment(rows, half, threads, (row, start, count) =>
        {
            long offset = (long)row * 2 * half + start;
            float* f = (float*)xs + offset, df = (float*)ds + offset;
            BackwardRange(f, f + half, (float*)gs + (long)row * half + start, df, df + half, count);
        });
    }

    /// <summary>Splits the <c>rows × half</c> outputs into equal ranges, one per thread, cut at the rows' ends.</summary>
    private static void ForEachSegment(int rows, int half, int threads, Action<int, int, int> body)
    {
        long total = (long)rows * half;
        int parts = (int)Math.Clamp(total / MinimumPerThread, 1, Math.Max(threads, 1));
        OpenMpTeam.For(parts, part =>
        {
            long from = total * part / parts, to = total * (part + 1) / parts;
            while (from < to)
            {
                int row = (int)(from / half), start = (int)(from % half);
                int count = (int)Math.Min(half - start, to - from);
                body(row, start, count);
                from += count;
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRange(float* f, float* g, float* y, int count)
    {
        int i = 0;
        for (; i <= count - Lanes; i += Lanes)
            Vector256.Store(Gate(Vector256.Load(f + i), Vector256.Load(g + i)), y + i);
        if (i == count) return;
        Vector256<float> tf = Tail(f + i, count - i), tg = Tail(g + i, count - i);
        Store(Gate(tf, tg), y + i, count - i);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRange(float* f, float* g, float* dy, float* df, float* dg, int count)
    {
        int i = 0;
        for (; i <= count - Lanes; i += Lanes)
        {
            (Vector256<float> a, Vector256<float> b) = Gradient(Vector256.Load(f + i), Vector256.Load(g + i), Vector256.Load(dy + i));
            Vector256.Store(a, df + i);
            Vector256.Store(b, dg + i);
        }
        if (i == count) return;
        int n = count - i;
        (Vector256<float> ta, Vector256<float> tb) = Gradient(Tail(f + i, n), Tail(g + i, n), Tail(dy + i, n));
        Store(ta, df + i, n);
        Store(tb, dg + i, n);
    }

    // With E₁ = e^−2f and E₂ = e^−g: tanh f = (1 − E₁)/(1 + E₁) and σ(g) = 1/(1 + E₂), so the unit takes one division.
    // Both exponents are capped at MaxExponent, where 1/(1 + E) is below 1e−19 and (1 + E₁)(1 + E₂) still a float.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Gate(Vector256<float> f, Vector256<float> g)
    {
        Vector256<float> one = Vector256<float>.One, e1 = Exp(Vector256.Create(-2f) * f), e2 = Exp(-g);
        return (one - e1) / ((one + e1) * (one + e2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Filter, Vector256<float> Gate) Gradient(Vector256<float> f, Vector256<float> g, Vector256<float> dy)
    {
        // a = 1/(1 + E₁) and s = σ(g) = 1/(1 + E₂) from one division; 1 − tanh² f = 4E₁a² and 1 − s = E₂s.
        Vector256<float> one = Vector256<float>.One, e1 = Exp(Vector256.Create(-2f) * f), e2 = Exp(-g);
        Vector256<float> p1 = one + e1, p2 = one + e2, d = one / (p1 * p2), a = d * p2, s = d * p1;
        Vector256<float> t = (one - e1) * a, ds = dy * s;
        return (ds * (Vector256.Create(4f) * (e1 * a) * a), ds * t * (e2 * s));
    }

    /// <summary>The largest exponent <see cref="Exp"/> is asked for.</summary>
    private const float MaxExponent = 44f;

    /// <summary>
    /// <c>e^u</c> for <c>u</c> clamped to [−87, <see cref="MaxExponent"/>], within two units in the last place: <c>u = n ln 2 + r</c>
    /// with <c>|r| ≤ ln 2 / 2</c>, a degree-6 polynomial for <c>e^r</c> (Cephes' <c>expf</c>), and <c>2^n</c> built in
    /// the exponent bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> u)
    {
        u = Vector256.Min(Vector256.Max(u, Vector256.Create(-87f)), Vector256.Create(MaxExponent));
        Vector256<float> n = Vector256.Round(u * Vector256.Create(1.44269504088896341f));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), u);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194440e-4f), r);
        Vector256<float> p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        Vector256<int> scale = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    private static Vector256<float> Tail(float* source, int count)
    {
        float* lanes = stackalloc float[Lanes];
        for (int j = 0; j < Lanes; j++) lanes[j] = j < count ? source[j] : 0f;
        return Vector256.Load(lanes);
    }

    private static void Store(Vector256<float> v, float* target, int count)
    {
        float* lanes = stackalloc float[Lanes];
        Vector256.Store(v, lanes);
        for (int j = 0; j < count; j++) target[j] = lanes[j];
    }
}
