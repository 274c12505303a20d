using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// Small dense products (and the elementwise steps between them) on managed arrays, for the fused per-step loops of generation (WaveNet's samples, PixelCNN's
/// pixels), where a step is a few hundred vector operations and a native call per tensor operation would cost more
/// than the arithmetic.
/// </summary>
/// <remarks>
/// Every method is compiled optimized at its first call: in a process that keeps compiling new code (as one driving
/// libtorch does), the tiered compiler can leave a hot loop unoptimized for its whole run, where it took several
/// times as long (a ReLU over 64 values through <see cref="TensorPrimitives"/> took 400 ns where 15 suffice).
/// </remarks>
internal static class VectorProducts
{
    /// <summary><c>y += Σ_i x_i · W[i, :]</c> for <c>W [x.Length, y.Length]</c> row-major, skipping zero inputs (after a ReLU about half).</summary>
    /// <remarks>
    /// The nonzero inputs are listed first without branching: which inputs are zero changes from call to call, and a
    /// branch per input mispredicted about half the time, which tripled the time of PixelCNN's per-pixel products.
    /// The outputs are then taken a tile of four SIMD vectors at a time, held in registers over the listed inputs, so
    /// an input costs four loads and four multiply-adds: at PixelCNN's 32 and 64 channels a call per input row
    /// (<see cref="TensorPrimitives.MultiplyAdd(ReadOnlySpan{float}, float, ReadOnlySpan{float}, Span{float})"/>)
    /// cost more than its arithmetic.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddProduct<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> matrix, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Length, lanes = Vector<T>.Count;
        if (matrix.Length < x.Length * n) throw new ArgumentException($"A [{x.Length}, {n}] matrix needs {x.Length * n} elements, got {matrix.Length}.", nameof(matrix));
        Span<int> nonzero = x.Length <= 1024 ? stackalloc int[x.Length] : new int[x.Length];
        int count = 0;
        for (int i = 0; i < x.Length; i++)
        {
            nonzero[count] = i;
            count += Unsafe.BitCast<bool, byte>(x[i] != T.Zero);
        }
        nonzero = nonzero[..count];
        ref T w = ref MemoryMarshal.GetReference(matrix);
        ref T output = ref MemoryMarshal.GetReference(y);
        int start = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; start + 4 * lanes <= n; start += 4 * lanes)
            {
                ref T tile = ref Unsafe.Add(ref output, start);
                Vector<T> a0 = Vector.LoadUnsafe(ref tile), a1 = Vector.LoadUnsafe(ref tile, (nuint)lanes);
                Vector<T> a2 = Vector.LoadUnsafe(ref tile, (nuint)(2 * lanes)), a3 = Vector.LoadUnsafe(ref tile, (nuint)(3 * lanes));
                foreach (int i in nonzero)
                {
                    var v = new Vector<T>(x[i]);
                    ref T row = ref Unsafe.Add(ref w, i * n + start);
                    a0 += v * Vector.LoadUnsafe(ref row);
                    a1 += v * Vector.LoadUnsafe(ref row, (nuint)lanes);
                    a2 += v * Vector.LoadUnsafe(ref row, (nuint)(2 * lanes));
                    a3 += v * Vector.LoadUnsafe(ref row, (nuint)(3 * lanes));
                }
                a0.StoreUnsafe(ref tile);
                a1.StoreUnsafe(ref tile, (nuint)lanes);
                a2.StoreUnsafe(ref tile, (nuint)(2 * lanes));
                a3.StoreUnsafe(ref tile, (nuint)(3 * lanes));
            }
            for (; start + lanes <= n; start += lanes)
            {
                ref T tile = ref Unsafe.Add(ref output, start);
                Vector<T> a = Vector.LoadUnsafe(ref tile);
                foreach (int i in nonzero) a += new Vector<T>(x[i]) * Vector.LoadUnsafe(ref Unsafe.Add(ref w, i * n + start));
                a.StoreUnsafe(ref tile);
            }
        }
        for (int j = start; j < n; j++)
        {
            T sum = y[j];
            foreach (int i in nonzero) sum += x[i] * matrix[i * n + j];
            y[j] = sum;
        }
    }

    /// <summary><c>y = max(x, 0)</c> elementwise (<paramref name="y"/> may be <paramref name="x"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
                Vector.Max(new Vector<T>(x.Slice(i)), Vector<T>.Zero).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] = x[i] > T.Zero ? x[i] : T.Zero;
    }

    /// <summary><c>y += x</c> elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddTo<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i + Vector<T>.Count <= x.Length; i += Vector<T>.Count)
                (new Vector<T>(x.Slice(i)) + new Vector<T>(y.Slice(i))).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] += x[i];
    }

    /// <summary>The values of <paramref name="t"/> (any layout) as a new row-major array of <typeparamref name="T"/>.</summary>
    public static T[] ToArray<T>(Tensor t) where T : unmanaged
    {
        using Tensor rows = t.detach().contiguous();     // disposed after the copy: its storage is read until then
        return MemoryMarshal.Cast<byte, T>(rows.bytes).ToArray();
    }
}
