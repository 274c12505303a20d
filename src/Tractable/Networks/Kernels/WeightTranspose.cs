using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tractable.Networks.Kernels;

/// <summary>
/// The transpose of a float32 weight matrix <c>[rows, columns]</c> into <c>[columns, rows]</c>, optionally multiplied
/// by a 0/1 mask of the weight's shape on the way: the layout <see cref="WindowConvolution"/> reads (inputs first,
/// outputs innermost) made from a linear layer's <c>[out, in]</c>.
/// </summary>
/// <remarks>
/// libtorch's strided copy (<c>w.t().contiguous()</c>) took 110–180 µs for a 512 × 512 matrix on one Zen 5 core and
/// up to 400 µs on two, as long as the window kernel's product itself at batch 256; blocks of 8 × 8 moved through AVX
/// registers take 48 µs (9 µs for 256 × 256; docs/benchmarks.md).
/// </remarks>
internal static unsafe class WeightTranspose
{
    private const int Block = 8;
    private const int Tile = 2 * Block;

    /// <summary>
    /// Writes <c>target[c, r] = source[r, c] · mask[r, c]</c> (no mask: 1) for a <c>[rows, columns]</c> row-major
    /// <paramref name="source"/> into a <c>[columns, rows]</c> row-major <paramref name="target"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(float* source, float* mask, int rows, int columns, float* target)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            // Strips of 16 columns, all rows down each: every source line (16 values) is read whole once, and the
            // strip's 16 target rows are written front to back. Rows a power of two apart share a few cache sets;
            // along whole rows, 512 × 512 took 210 µs against 48 this way.
            int fullRows = rows - rows % Block, c = 0;
            for (; c + Tile <= columns; c += Tile)
                for (int rr = 0; rr < fullRows; rr += Block)
                    for (int dc = 0; dc < Tile; dc += Block)
                        Block8(source, mask, columns, target, rows, rr, c + dc);
            for (; c + Block <= columns; c += Block)
                for (int rr = 0; rr < fullRows; rr += Block) Block8(source, mask, columns, target, rows, rr, c);
            Scalar(source, mask, rows, columns, target, 0, fullRows, c, columns);
            r = fullRows;
        }
        Scalar(source, mask, rows, columns, target, r, rows, 0, columns);
    }

    /// <summary>The element-by-element transpose of rows <c>[r0, r1)</c> and columns <c>[c0, c1)</c>.</summary>
    private static void Scalar(float* source, float* mask, int rows, int columns, float* target, int r0, int r1, int c0, int c1)
    {
        for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++)
        {
            long at = (long)r * columns + c;
            target[(long)c * rows + r] = mask == null ? source[at] : source[at] * mask[at];
        }
    }

    /// <summary>One 8 × 8 block: eight rows loaded, interleaved in three rounds (pairs, quads, 128-bit halves), stored as
    /// eight columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(float* source, float* mask, int sourceStride, float* target, int targetStride, int row, int column)
    {
        float* s = source + (long)row * sourceStride + column, m = mask == null ? null : mask + (long)row * sourceStride + column;
        float* t = target + (long)column * targetStride + row;
        var r0 = Load(s, m, 0, sourceStride); var r1 = Load(s, m, 1, sourceStride);
        var r2 = Load(s, m, 2, sourceStride); var r3 = Load(s, m, 3, sourceStride);
        var r4 = Load(s, m, 4, sourceStride); var r5 = Load(s, m, 5, sourceStride);
        var r6 = Load(s, m, 6, sourceStride); var r7 = Load(s, m, 7, sourceStride);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).Store(t);
        Avx.Permute2x128(u1, u5, 0x20).Store(t + targetStride);
        Avx.Permute2x128(u2, u6, 0x20).Store(t + 2 * targetStride);
        Avx.Permute2x128(u3, u7, 0x20).Store(t + 3 * targetStride);
        Avx.Permute2x128(u0, u4, 0x31).Store(t + 4 * targetStride);
        Avx.Permute2x128(u1, u5, 0x31).Store(t + 5 * targetStride);
        Avx.Permute2x128(u2, u6, 0x31).Store(t + 6 * targetStride);
        Avx.Permute2x128(u3, u7, 0x31).Store(t + 7 * targetStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(float* s, float* m, int row, int stride)
    {
        var v = Vector256.Load(s + (long)row * stride);
        return m == null ? v : v * Vector256.Load(m + (long)row * stride);
    }
}
