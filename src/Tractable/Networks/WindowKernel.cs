using Tractable.Networks.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// The tensor side of <see cref="WindowConvolution"/>: whether it takes a call, and the call over float32 maps whose
/// channels are innermost. Every layer that runs on the kernel without gradients goes through here: masked
/// convolutions (<see cref="Pixel.MaskedConv2d"/>), Glow's thin 3×3 layers (<see cref="ThinConvolution"/>), 1×1 layers
/// and linear layers over rows (<see cref="WideLinear"/>), and WaveNet's causal convolutions.
/// </summary>
internal static class WindowKernel
{
    /// <summary>Whether the kernel is used at all on the calling thread; off only to compare.</summary>
    internal static bool Enabled
    {
        get => !disabled;
        set => disabled = !value;
    }

    [ThreadStatic] private static bool disabled;

    /// <summary>
    /// Whether the kernel's AVX-512 blocks take <paramref name="input"/> with <paramref name="weight"/> (outputs first,
    /// inputs second, as libtorch's layers hold them) on the calling thread: float32 on the CPU, nothing for autograd to
    /// record, outputs a multiple of 32, libtorch on no more threads than the kernels may split over
    /// (<see cref="ThinConvolution.MostThreads"/>), and maps that a span reaches.
    /// </summary>
    public static bool Takes(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (!Enabled || input.device_type != DeviceType.CPU || input.dtype != ScalarType.Float32 || weight.dtype != ScalarType.Float32) return false;
        if (is_grad_enabled() && (input.requires_grad || weight.requires_grad || bias?.requires_grad == true)) return false;
        long inputs = weight.size(1), outputs = weight.size(0);
        return inputs > 0 && WindowConvolution.Wide(outputs) && get_num_threads() <= ThinConvolution.MostThreads &&
               input.numel() / inputs * Math.Max(inputs, outputs) * sizeof(float) <= int.MaxValue;
    }

    /// <summary>
    /// <paramref name="bias"/> (none: zero) plus the convolution of <paramref name="bordered"/> <c>[N, H_b, W_b, in]</c>
    /// by <paramref name="weight"/> <c>[K, out]</c>: <c>[N, height, width, out]</c>, written into
    /// <paramref name="into"/> where given (contiguous). Output row <c>i</c> reads the bordered rows from <c>i</c>, kernel
    /// row <c>r</c> its leading <c>columns[r]</c> columns, every <paramref name="dilation"/>-th
    /// (<see cref="WindowConvolution.Write"/>). With <paramref name="depths"/>, each group of 32 outputs reads only its
    /// leading weight rows, the rest being zero in its columns. With <paramref name="firstColumns"/>, kernel row
    /// <c>r</c> reads its columns from <c>firstColumns[r]</c> on.
    /// </summary>
    public static unsafe Tensor Convolve(Tensor bordered, Tensor weight, Tensor? bias, long height, long width, int[] columns,
        int dilation = 1, Tensor? into = null, int[]? depths = null, int[]? firstColumns = null)
    {
        using var scope = NewDisposeScope();
        long images = bordered.size(0), outputs = weight.size(1);
        Tensor rows = bordered.contiguous(), w = weight.detach().contiguous();
        Tensor b = bias?.detach().contiguous() ?? zeros(outputs, ScalarType.Float32);
        Tensor y = into ?? empty(images, height, width, outputs, ScalarType.Float32);
        WindowConvolution.Write(TensorAddress.Of(rows), (int)rows.size(1), (int)rows.size(2), TensorAddress.Of(w), TensorAddress.Of(b),
            TensorAddress.Of(y), (int)images, (int)height, (int)width, (int)rows.size(3), (int)outputs, columns, get_num_threads(), dilation, depths, firstColumns);
        TensorAddress.KeepAlive(rows, w, b, y);
        return into ?? y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The kernel's weight matrix <c>[Σ columns[r]·in, out]</c> of a convolution's weight <c>[out, in, rows, kw]</c>:
    /// kernel row after kernel row, its leading <c>columns[r]</c> taps, input channels innermost.
    /// </summary>
    public static Tensor Matrix(Tensor weight, int[] columns)
    {
        long outputs = weight.size(0);
        return cat(columns.Select((count, r) => (count, r)).Where(t => t.count > 0)
            .Select(t => weight.select(2, t.r).narrow(2, 0, t.count).permute(2, 1, 0).reshape(-1, outputs)).ToArray(), 0);
    }

    /// <summary>
    /// The matrix <c>[Σ columns[r]·out, in]</c> of the convolution that gives the input's gradient from the output's:
    /// the kernel <c>[out, in, rows, kw]</c> flipped in both directions, its channels swapped. Flipped row
    /// <c>rows − 1 − r</c> holds row r's taps, trailing: read from column <see cref="FlippedFirstColumns"/> on.
    /// </summary>
    public static Tensor FlippedMatrix(Tensor weight, int[] columns)
    {
        long inputs = weight.size(1);
        int rows = columns.Length, kw = (int)weight.size(3);
        Tensor flipped = weight.flip(2, 3);
        return cat(Enumerable.Range(0, rows).Where(r => columns[rows - 1 - r] > 0)
            .Select(r => flipped.select(2, r).narrow(2, kw - columns[rows - 1 - r], columns[rows - 1 - r]).permute(2, 0, 1).reshape(-1, inputs))
            .ToArray(), 0);
    }

    /// <summary>The open columns of each row of the flipped kernel (<see cref="FlippedMatrix"/>).</summary>
    public static int[] FlippedColumns(int[] columns) => columns.Reverse().ToArray();

    /// <summary>The first open column of each row of the flipped kernel of width <paramref name="kw"/>.</summary>
    public static int[] FlippedFirstColumns(int[] columns, int kw) => columns.Reverse().Select(count => kw - count).ToArray();

    /// <summary>
    /// A linear layer's weight <paramref name="weight"/> <c>[out, in]</c> (float32, on the CPU), times
    /// <paramref name="mask"/> of the same shape where given, as the kernel's weight matrix <c>[in, out]</c>: a fresh
    /// tensor made on every call, so that weights changed in place are always the ones used
    /// (<see cref="WeightTranspose"/>).
    /// </summary>
    public static unsafe Tensor Transposed(Tensor weight, Tensor? mask = null)
    {
        using var scope = NewDisposeScope();
        Tensor w = weight.detach().contiguous(), m = mask?.detach().contiguous() ?? w;
        int rows = (int)w.size(0), columns = (int)w.size(1);
        Tensor t = empty(columns, rows, ScalarType.Float32);
        WeightTranspose.Write(TensorAddress.Of(w), mask is null ? null : TensorAddress.Of(m), rows, columns, TensorAddress.Of(t));
        TensorAddress.KeepAlive(w, m, t);
        return t.MoveToOuterDisposeScope();
    }
}
