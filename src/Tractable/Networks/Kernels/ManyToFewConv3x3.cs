using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tractable.Networks.Kernels;

/// <summary>
/// A 3×3 convolution with zero padding 1 from many input channels (a multiple of 8) to a few outputs (a multiple of 4),
/// over float32 maps in the channels-last layout.
/// </summary>
/// <remarks>
/// Each input pixel q is multiplied once into the outputs of all nine taps, z(q, t) = W_t·x(q), and z(q, t) is added to
/// the output pixel q − t. A group of pixels (<see cref="GroupPixels"/> × 1 KB for 256 channels) and one tap's weights
/// stay in the L1 cache while the nine taps pass over them, and three pixels share every weight load: 12 accumulators,
/// the most that fit AVX2's 16 registers with the operands. With AVX-512 and inputs a multiple of 16, six pixels share
/// each load of 16 weights: 24 accumulators of AVX-512's 32 registers, and half the loop's passes (256 → 4 channels at
/// 14×14, batch 64, on AMD Zen 5: 1.6 against 2.5 ms on one thread, 0.85 against 1.25 on two). libtorch's convolution runs this shape (256 → 4 channels
/// at 14×14) at 20–25 GFLOP/s on one core against 50–70 for a 1×1 layer; docs/benchmarks.md has the comparison.
/// </remarks>
internal static unsafe class ManyToFewConv3x3
{
    /// <summary>Input pixels processed per pass of the nine taps.</summary>
    private const int GroupPixels = 18;

    /// <summary>Whether the AVX-512 blocks of six pixels are used where the processor has them; off only to compare.</summary>
    internal static bool WideEnabled { get; set; } = true;

    /// <summary>
    /// Adds the convolution of <paramref name="x"/> <c>[N, H·W, inputs]</c> by <paramref name="w"/>
    /// <c>[9, outputs, inputs]</c> (taps in row-major order) into <paramref name="y"/> <c>[N, H·W, outputs]</c>,
    /// splitting the images over <paramref name="threads"/> threads.
    /// </summary>
    public static void Accumulate(float* x, float* w, float* y, int images, int height, int width, int inputs, int outputs,
        int threads)
    {
        ConvolutionGeometry.Check(inputs % Vector256<float>.Count == 0 && outputs % 4 == 0);
        nint xs = (nint)x, ws = (nint)w, ys = (nint)y;
        ConvolutionGeometry.ForEachRange(images, threads, (first, end) =>
        {
            var rowOf = new int[height * width];
            var columnOf = new int[height * width];
            for (int q = 0; q < rowOf.Length; q++) (rowOf[q], columnOf[q]) = (q / width, q % width);
            for (int n = first; n < end; n++)
                Image((float*)xs + (long)n * rowOf.Length * inputs, (float*)ws, (float*)ys + (long)n * rowOf.Length * outputs,
                    height, width, inputs, outputs, rowOf, columnOf);
        });
    }

    private static void Image(float* x, float* w, float* y, int height, int width, int inputs, int outputs, int[] rowOf, int[] columnOf)
    {
        int pixels = height * width;
        bool wide = WideEnabled && Vector512.IsHardwareAccelerated && inputs % Vector512<float>.Count == 0;
        Vector128<float>* sums = stackalloc Vector128<float>[6];
        for (int g0 = 0; g0 < pixels; g0 += GroupPixels)
        {
            int g1 = Math.Min(pixels, g0 + GroupPixels);
            for (int tap = 0; tap < 9; tap++)
            {
                int dy = tap / 3 - 1, dx = tap % 3 - 1;
                for (int o = 0; o < outputs; o += 4)
                {
                    float* wt = w + ((long)tap * outputs + o) * inputs;
                    int q = g0;
                    if (wide)
                        for (; q + 6 <= g1; q += 6)
                        {
                            SixPixels(x + (long)q * inputs, wt, inputs, sums);
                            for (int i = 0; i < 6; i++) AddAt(y, q + i, sums[i], dy, dx, height, width, outputs, o, rowOf, columnOf);
                        }
                    for (; q + 3 <= g1; q += 3)
                    {
                        Vector128<float> s0, s1, s2;
                        ThreePixels(x + (long)q * inputs, wt, inputs, &s0, &s1, &s2);
                        AddAt(y, q, s0, dy, dx, height, width, outputs, o, rowOf, columnOf);
                        AddAt(y, q + 1, s1, dy, dx, height, width, outputs, o, rowOf, columnOf);
                        AddAt(y, q + 2, s2, dy, dx, height, width, outputs, o, rowOf, columnOf);
                    }
                    for (; q < g1; q++)
                        AddAt(y, q, OnePixel(x + (long)q * inputs, wt, inputs), dy, dx, height, width, outputs, o, rowOf, columnOf);
                }
            }
        }
    }

    /// <summary>z(q, t) for the four outputs o… of one tap belongs to the output pixel q − t, where that is inside the map.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddAt(float* y, int q, Vector128<float> z, int dy, int dx, int height, int width, int outputs, int o,
        int[] rowOf, int[] columnOf)
    {
        int py = rowOf[q] - dy, px = columnOf[q] - dx;
        if ((uint)py >= (uint)height || (uint)px >= (uint)width) return;
        float* d = y + ((long)py * width + px) * outputs + o;
        Vector128.Store(Vector128.Load(d) + z, d);
    }

    /// <summary>The four dot products of three consecutive pixels with four weight rows; not inlined, so that the
    /// accumulators get registers of their own.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThreePixels(float* p0, float* w0, nint n, Vector128<float>* s0, Vector128<float>* s1, Vector128<float>* s2)
    {
        var a00 = Vector256<float>.Zero; var a01 = a00; var a02 = a00; var a03 = a00;
        var a10 = a00; var a11 = a00; var a12 = a00; var a13 = a00;
        var a20 = a00; var a21 = a00; var a22 = a00; var a23 = a00;
        float* p1 = p0 + n, p2 = p1 + n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
        for (nint c = 0; c < n; c += Vector256<float>.Count)
        {
            var i0 = Vector256.Load(p0 + c); var i1 = Vector256.Load(p1 + c); var i2 = Vector256.Load(p2 + c);
            var k = Vector256.Load(w0 + c);
            a00 = Vector256.FusedMultiplyAdd(i0, k, a00); a10 = Vector256.FusedMultiplyAdd(i1, k, a10); a20 = Vector256.FusedMultiplyAdd(i2, k, a20);
            k = Vector256.Load(w1 + c);
            a01 = Vector256.FusedMultiplyAdd(i0, k, a01); a11 = Vector256.FusedMultiplyAdd(i1, k, a11); a21 = Vector256.FusedMultiplyAdd(i2, k, a21);
            k = Vector256.Load(w2 + c);
            a02 = Vector256.FusedMultiplyAdd(i0, k, a02); a12 = Vector256.FusedMultiplyAdd(i1, k, a12); a22 = Vector256.FusedMultiplyAdd(i2, k, a22);
            k = Vector256.Load(w3 + c);
            a03 = Vector256.FusedMultiplyAdd(i0, k, a03); a13 = Vector256.FusedMultiplyAdd(i1, k, a13); a23 = Vector256.FusedMultiplyAdd(i2, k, a23);
        }
        *s0 = Sum4(a00, a01, a02, a03);
        *s1 = Sum4(a10, a11, a12, a13);
        *s2 = Sum4(a20, a21, a22, a23);
    }

    /// <summary>The four dot products of six consecutive pixels with four weight rows, 16 channels at a time, into
    /// <paramref name="sums"/>[0..6].</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void SixPixels(float* p0, float* w0, nint n, Vector128<float>* sums)
    {
        var a00 = Vector512<float>.Zero; var a01 = a00; var a02 = a00; var a03 = a00;
        var a10 = a00; var a11 = a00; var a12 = a00; var a13 = a00;
        var a20 = a00; var a21 = a00; var a22 = a00; var a23 = a00;
        var a30 = a00; var a31 = a00; var a32 = a00; var a33 = a00;
        var a40 = a00; var a41 = a00; var a42 = a00; var a43 = a00;
        var a50 = a00; var a51 = a00; var a52 = a00; var a53 = a00;
        float* p1 = p0 + n, p2 = p1 + n, p3 = p2 + n, p4 = p3 + n, p5 = p4 + n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
        for (nint c = 0; c < n; c += Vector512<float>.Count)
        {
            var i0 = Vector512.Load(p0 + c); var i1 = Vector512.Load(p1 + c); var i2 = Vector512.Load(p2 + c);
            var i3 = Vector512.Load(p3 + c); var i4 = Vector512.Load(p4 + c); var i5 = Vector512.Load(p5 + c);
            var k = Vector512.Load(w0 + c);
            a00 = Vector512.FusedMultiplyAdd(i0, k, a00); a10 = Vector512.FusedMultiplyAdd(i1, k, a10); a20 = Vector512.FusedMultiplyAdd(i2, k, a20);
            a30 = Vector512.FusedMultiplyAdd(i3, k, a30); a40 = Vector512.FusedMultiplyAdd(i4, k, a40); a50 = Vector512.FusedMultiplyAdd(i5, k, a50);
            k = Vector512.Load(w1 + c);
            a01 = Vector512.FusedMultiplyAdd(i0, k, a01); a11 = Vector512.FusedMultiplyAdd(i1, k, a11); a21 = Vector512.FusedMultiplyAdd(i2, k, a21);
            a31 = Vector512.FusedMultiplyAdd(i3, k, a31); a41 = Vector512.FusedMultiplyAdd(i4, k, a41); a51 = Vector512.FusedMultiplyAdd(i5, k, a51);
            k = Vector512.Load(w2 + c);
            a02 = Vector512.FusedMultiplyAdd(i0, k, a02); a12 = Vector512.FusedMultiplyAdd(i1, k, a12); a22 = Vector512.FusedMultiplyAdd(i2, k, a22);
            a32 = Vector512.FusedMultiplyAdd(i3, k, a32); a42 = Vector512.FusedMultiplyAdd(i4, k, a42); a52 = Vector512.FusedMultiplyAdd(i5, k, a52);
            k = Vector512.Load(w3 + c);
            a03 = Vector512.FusedMultiplyAdd(i0, k, a03); a13 = Vector512.FusedMultiplyAdd(i1, k, a13); a23 = Vector512.FusedMultiplyAdd(i2, k, a23);
            a33 = Vector512.FusedMultiplyAdd(i3, k, a33); a43 = Vector512.FusedMultiplyAdd(i4, k, a43); a53 = Vector512.FusedMultiplyAdd(i5, k, a53);
        }
        sums[0] = Sum4(Halves(a00), Halves(a01), Halves(a02), Halves(a03));
        sums[1] = Sum4(Halves(a10), Halves(a11), Halves(a12), Halves(a13));
        sums[2] = Sum4(Halves(a20), Halves(a21), Halves(a22), Halves(a23));
        sums[3] = Sum4(Halves(a30), Halves(a31), Halves(a32), Halves(a33));
        sums[4] = Sum4(Halves(a40), Halves(a41), Halves(a42), Halves(a43));
        sums[5] = Sum4(Halves(a50), Halves(a51), Halves(a52), Halves(a53));
    }

    /// <summary>The sum of a 512-bit vector's two halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Halves(Vector512<float> a) => a.GetLower() + a.GetUpper();

    private static Vector128<float> OnePixel(float* p, float* w0, nint n)
    {
        var a0 = Vector256<float>.Zero; var a1 = a0; var a2 = a0; var a3 = a0;
        float* w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
        for (nint c = 0; c < n; c += Vector256<float>.Count)
        {
            var i = Vector256.Load(p + c);
            a0 = Vector256.FusedMultiplyAdd(i, Vector256.Load(w0 + c), a0);
            a1 = Vector256.FusedMultiplyAdd(i, Vector256.Load(w1 + c), a1);
            a2 = Vector256.FusedMultiplyAdd(i, Vector256.Load(w2 + c), a2);
            a3 = Vector256.FusedMultiplyAdd(i, Vector256.Load(w3 + c), a3);
        }
        return Sum4(a0, a1, a2, a3);
    }

    /// <summary>The sums of four vectors' lanes, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sum4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        if (Avx.IsSupported)
        {
            Vector256<float> h = Avx.HorizontalAdd(Avx.HorizontalAdd(a, b), Avx.HorizontalAdd(c, d));
            return h.GetLower() + h.GetUpper();
        }
        return Vector128.Create(Vector256.Sum(a), Vector256.Sum(b), Vector256.Sum(c), Vector256.Sum(d));
    }
}
