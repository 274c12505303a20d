using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tractable.Networks.Kernels;

/// <summary>
/// A 3×3 convolution from a few input channels to many outputs (a multiple of 8), over float32 maps in the
/// channels-last layout, the input given with its zero border.
/// </summary>
/// <remarks>
/// Every output pixel is 9·C<sub>in</sub> input values, each broadcast against a row of weights. Three pixels of a row
/// and 32 outputs are computed at a time: 12 accumulators, three broadcasts and one weight vector fill AVX2's 16
/// registers, and each weight load serves three multiply-adds. libtorch's convolution runs this shape (2 → 256 channels
/// at 14×14) at about 20 GFLOP/s on one core; docs/benchmarks.md has the comparison.
/// </remarks>
internal static unsafe class FewToManyConv3x3
{
    private const int Lanes = 8;
    private const int BlockOutputs = 4 * Lanes;

    /// <summary>
    /// Writes <paramref name="bias"/> plus the convolution of <paramref name="padded"/> <c>[N, H + 2, W + 2, inputs]</c>
    /// (the input with its zero border) by <paramref name="w"/> <c>[9, inputs, outputs]</c> (taps in row-major order)
    /// into <paramref name="y"/> <c>[N, H, W, outputs]</c>, splitting the rows over <paramref name="threads"/> threads.
    /// </summary>
    public static void Write(float* padded, float* w, float* bias, float* y, int images, int height, int width, int inputs,
        int outputs, int threads)
    {
        ConvolutionGeometry.Check(outputs % Lanes == 0);
        nint ps = (nint)padded, ws = (nint)w, bs = (nint)bias, ys = (nint)y;
        ConvolutionGeometry.ForEachRange(images * height, threads, (first, end) =>
        {
            nint rowStride = (nint)(width + 2) * inputs;
            for (int r = first; r < end; r++)
            {
                int n = r / height, row = r % height;
                float* source = (float*)ps + ((long)n * (height + 2) + row) * rowStride;
                float* target = (float*)ys + (long)r * width * outputs;
                for (int o = 0; o + BlockOutputs <= outputs; o += BlockOutputs)
                {
                    int px = 0;
                    for (; px + 3 <= width; px += 3)
                        ThreePixels(source + (nint)px * inputs, rowStride, inputs, (float*)ws + o, outputs, (float*)bs + o,
                            target + (nint)px * outputs + o);
                    for (; px < width; px++)
                        for (int v = 0; v < BlockOutputs; v += Lanes)
                            OnePixel(source + (nint)px * inputs, rowStride, inputs, (float*)ws + o + v, outputs, (float*)bs + o + v,
                                target + (nint)px * outputs + o + v);
                }
                for (int o = outputs - outputs % BlockOutputs; o < outputs; o += Lanes)
                    for (int px = 0; px < width; px++)
                        OnePixel(source + (nint)px * inputs, rowStride, inputs, (float*)ws + o, outputs, (float*)bs + o,
                            target + (nint)px * outputs + o);
            }
        });
    }

    /// <summary>32 outputs of three pixels whose 3×3 windows start at <paramref name="x"/>; not inlined, so that the
    /// accumulators get registers of their own.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThreePixels(float* x, nint rowStride, nint inputs, float* w, nint outputs, float* bias, float* y)
    {
        var a00 = Vector256.Load(bias); var a01 = Vector256.Load(bias + Lanes);
        var a02 = Vector256.Load(bias + 2 * Lanes); var a03 = Vector256.Load(bias + 3 * Lanes);
        var a10 = a00; var a11 = a01; var a12 = a02; var a13 = a03;
        var a20 = a00; var a21 = a01; var a22 = a02; var a23 = a03;
        // A window row of three taps is 3·inputs consecutive values of the padded map, and their weights are
        // consecutive too: one loop over k = tap column · inputs + channel per row of taps.
        nint span = 3 * inputs;
        float* wt = w;
        for (int dy = 0; dy < 3; dy++)
        {
            float* s = x + dy * rowStride;
            for (nint k = 0; k < span; k++, wt += outputs)
            {
                var s0 = Vector256.Create(s[k]); var s1 = Vector256.Create(s[inputs + k]); var s2 = Vector256.Create(s[2 * inputs + k]);
                var c = Vector256.Load(wt);
                a00 = Vector256.FusedMultiplyAdd(s0, c, a00); a10 = Vector256.FusedMultiplyAdd(s1, c, a10); a20 = Vector256.FusedMultiplyAdd(s2, c, a20);
                c = Vector256.Load(wt + Lanes);
                a01 = Vector256.FusedMultiplyAdd(s0, c, a01); a11 = Vector256.FusedMultiplyAdd(s1, c, a11); a21 = Vector256.FusedMultiplyAdd(s2, c, a21);
                c = Vector256.Load(wt + 2 * Lanes);
                a02 = Vector256.FusedMultiplyAdd(s0, c, a02); a12 = Vector256.FusedMultiplyAdd(s1, c, a12); a22 = Vector256.FusedMultiplyAdd(s2, c, a22);
                c = Vector256.Load(wt + 3 * Lanes);
                a03 = Vector256.FusedMultiplyAdd(s0, c, a03); a13 = Vector256.FusedMultiplyAdd(s1, c, a13); a23 = Vector256.FusedMultiplyAdd(s2, c, a23);
            }
        }
        a00.Store(y); a01.Store(y + Lanes); a02.Store(y + 2 * Lanes); a03.Store(y + 3 * Lanes);
        y += outputs;
        a10.Store(y); a11.Store(y + Lanes); a12.Store(y + 2 * Lanes); a13.Store(y + 3 * Lanes);
        y += outputs;
        a20.Store(y); a21.Store(y + Lanes); a22.Store(y + 2 * Lanes); a23.Store(y + 3 * Lanes);
    }

    private static void OnePixel(float* x, nint rowStride, nint inputs, float* w, nint outputs, float* bias, float* y)
    {
        var a = Vector256.Load(bias);
        nint span = 3 * inputs;
        float* wt = w;
        for (int dy = 0; dy < 3; dy++)
        {
            float* s = x + dy * rowStride;
            for (nint k = 0; k < span; k++, wt += outputs)
                a = Vector256.FusedMultiplyAdd(Vector256.Create(s[k]), Vector256.Load(wt), a);
        }
        a.Store(y);
    }
}
