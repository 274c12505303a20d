using static TorchSharp.torch;

namespace Tractable.Runtime;

/// <summary>
/// A tensor's sizes and strides, and its pieces along a dimension, read one dimension at a time. TorchSharp's
/// array-returning calls (<c>shape</c>, <c>stride()</c>, <c>chunk</c>, <c>split</c>, <c>unbind</c>) hand native code a
/// fresh delegate on every call. The runtime backs each with a small native block that is freed only after a garbage
/// collection, and a model's pass makes hundreds of such calls while almost nothing managed is allocated, so those blocks
/// outlive the pass, lodge inside the large tensors it freed and fragment the C heap: a PixelCNN density pass then grew
/// the heap by tens of megabytes a pass and faulted thousands of fresh pages (docs/benchmarks.md). <c>size(d)</c>,
/// <c>stride(d)</c> and <c>narrow</c> allocate nothing native beyond their result, and a shape read here costs
/// 0.15 µs a dimension against 2.3 µs for <c>shape</c>.
/// </summary>
public static class TensorSizes
{
    /// <summary>The sizes of <paramref name="x"/>, as <c>x.shape</c>.</summary>
    public static long[] Of(Tensor x)
    {
        var sizes = new long[x.dim()];
        for (int d = 0; d < sizes.Length; d++) sizes[d] = x.size(d);
        return sizes;
    }

    /// <summary>The strides of <paramref name="x"/>, as <c>x.stride()</c>.</summary>
    public static long[] StridesOf(Tensor x)
    {
        var strides = new long[x.dim()];
        for (int d = 0; d < strides.Length; d++) strides[d] = x.stride(d);
        return strides;
    }

    /// <summary>
    /// <paramref name="x"/> cut into <paramref name="chunks"/> views along <paramref name="dim"/>, as
    /// <c>x.chunk(chunks, dim)</c>: each of the size rounded up, the last smaller where it does not divide.
    /// </summary>
    public static Tensor[] Chunk(Tensor x, int chunks, int dim)
    {
        if (chunks < 1) throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "At least one chunk.");
        long length = x.size(dim), size = (length + chunks - 1) / chunks;
        if (size == 0) return [x];
        var pieces = new List<Tensor>(chunks);
        for (long start = 0; start < length; start += size) pieces.Add(x.narrow(dim, start, Math.Min(size, length - start)));
        return pieces.ToArray();
    }

    /// <summary><paramref name="x"/> cut into views of <paramref name="sizes"/> along <paramref name="dim"/>, as <c>x.split(sizes, dim)</c>.</summary>
    public static Tensor[] Split(Tensor x, long[] sizes, int dim)
    {
        if (sizes.Sum() != x.size(dim))
            throw new ArgumentException($"Pieces of [{string.Join(", ", sizes)}] do not make up the {x.size(dim)} of dimension {dim}.", nameof(sizes));
        var pieces = new Tensor[sizes.Length];
        for (long i = 0, start = 0; i < sizes.Length; start += sizes[i], i++) pieces[i] = x.narrow(dim, start, sizes[i]);
        return pieces;
    }

    /// <summary>The slices of <paramref name="x"/> along <paramref name="dim"/>, as <c>x.unbind(dim)</c>.</summary>
    public static Tensor[] Unbind(Tensor x, int dim)
    {
        var slices = new Tensor[x.size(dim)];
        for (int i = 0; i < slices.Length; i++) slices[i] = x.select(dim, i);
        return slices;
    }
}
