using System.Numerics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// A <see cref="MaskedConv2d"/> (stride 1) on managed arrays, for fused per-pixel sampling: its masked kernel is one
/// matrix <c>[columns·in, out]</c> per kernel row with open taps (<see cref="MaskedConv2d.At"/>'s matrices), applied at
/// one pixel of one image from a channels-last cache <c>[H + pad, W + pad, in]</c>, where each kernel row's patch is
/// contiguous.
/// </summary>
/// <typeparam name="T">The model's element type.</typeparam>
internal sealed class FusedMaskedConv2d<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly (int Row, int Columns, T[] Matrix)[] rows;
    private readonly T[] bias;
    private readonly int padTop, padLeft, padColumns, padRows;

    /// <summary>Copies the weights of <paramref name="conv"/> (parameters of type <typeparamref name="T"/>).</summary>
    public FusedMaskedConv2d(MaskedConv2d conv)
    {
        if (conv.Stride != 1) throw new ArgumentException("Fused per-pixel steps need stride 1.", nameof(conv));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        In = (int)conv.InChannels;
        Out = (int)conv.OutChannels;
        Tensor[] matrices = conv.RowMatrices();
        rows = Enumerable.Range(0, conv.KernelHeight).Where(r => conv.OpenColumns[r] > 0)
            .Select((r, m) => (r, conv.OpenColumns[r], VectorProducts.ToArray<T>(matrices[m]))).ToArray();
        bias = conv.Bias is { } b ? VectorProducts.ToArray<T>(b) : new T[Out];
        (padTop, padLeft) = (conv.PadTop, conv.PadLeft);
        padRows = conv.KernelHeight - 1;
        padColumns = conv.KernelWidth - 1;
    }

    /// <summary>Input channels.</summary>
    public int In { get; }

    /// <summary>Output channels.</summary>
    public int Out { get; }

    /// <summary>Elements of one image's cache: the padded input map <c>[H + pad, W + pad, in]</c>, zero where unwritten.</summary>
    public int CacheLength(int height, int width) => (height + padRows) * (width + padColumns) * In;

    /// <summary>Stores the input <c>[in]</c> of pixel <c>(row, col)</c> in one image's cache.</summary>
    public void Write(Span<T> cache, int width, int row, int col, ReadOnlySpan<T> value) =>
        value.CopyTo(cache.Slice(((row + padTop) * (width + padColumns) + col + padLeft) * In, In));

    /// <summary>The output <c>[out]</c> at pixel <c>(row, col)</c> from one image's cache, as <see cref="MaskedConv2d.At"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void At(ReadOnlySpan<T> cache, int width, int row, int col, Span<T> y)
    {
        bias.CopyTo(y);
        foreach ((int r, int columns, T[] matrix) in rows)
            VectorProducts.AddProduct(cache.Slice(((row + r) * (width + padColumns) + col) * In, columns * In), matrix, y);
    }

    /// <summary>A 1×1 convolution at one pixel: <c>y = b + x W</c>, <c>[in] → [out]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pointwise(ReadOnlySpan<T> x, Span<T> y)
    {
        bias.CopyTo(y);
        VectorProducts.AddProduct(x, rows[0].Matrix, y);
    }
}
