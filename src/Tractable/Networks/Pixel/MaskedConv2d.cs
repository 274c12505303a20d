using Tractable.Networks.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// A 2-D convolution whose output at pixel <c>(i, j)</c> is aligned with the kernel tap <c>(centreRow, centreCol)</c>
/// and whose weights are multiplied by a fixed raster-order mask (van den Oord et al. 2016, arXiv:1601.06759, §3.4):
/// a tap at offset <c>(dy, dx)</c> from the centre connects input colour <c>ci</c> to output colour <c>co</c> iff
/// <c>dy &lt; 0</c>, or <c>dy = 0 ∧ dx &lt; 0</c>, or it is the centre and <c>ci &lt; co</c> (type A) / <c>ci ≤ co</c> (type B).
/// Colours are assigned to channels as <c>channel mod colours</c>, so a tensor split into halves along channels keeps
/// its colour groups. With <see cref="MaskType.None"/> the kernel is used as is: padding top/left by the centre's offsets
/// and bottom/right by the rest gives the shifted convolutions of PixelCNN++ and the vertical stack of Gated PixelCNN.
/// Input <c>[B, in, H, W]</c>, output <c>[B, out, ⌈H/stride⌉, ⌈W/stride⌉]</c>.
/// </summary>
public sealed class MaskedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly Tensor? mask;
    private readonly long[] padding;
    private readonly long[] strides;
    private readonly int openRows;
    private readonly long[] openPadding;
    private readonly bool padsInput;                                  // false for a 1×1 kernel: the open kernel stays inside the map
    private readonly int[] openColumns;

    /// <summary>Builds the convolution.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelHeight">Kernel rows.</param>
    /// <param name="kernelWidth">Kernel columns.</param>
    /// <param name="type">The mask (None for a plain, causally padded kernel).</param>
    /// <param name="colours">Colour channels of the image (1 for grey or binary images).</param>
    /// <param name="centreRow">Kernel row aligned with the output pixel (default: the middle row).</param>
    /// <param name="centreCol">Kernel column aligned with the output pixel (default: the middle column).</param>
    /// <param name="stride">Stride in both directions.</param>
    public MaskedConv2d(long inChannels, long outChannels, int kernelHeight, int kernelWidth, MaskType type, int colours = 1,
        int? centreRow = null, int? centreCol = null, int stride = 1) : base(nameof(MaskedConv2d))
    {
        int cy = centreRow ?? kernelHeight / 2, cx = centreCol ?? kernelWidth / 2;
        // F.pad order: left, right, top, bottom.
        padding = [cx, kernelWidth - 1 - cx, cy, kernelHeight - 1 - cy];
        strides = [stride, stride];
        conv = nn.Conv2d(inChannels, outChannels, (kernelHeight, kernelWidth), stride: (stride, stride));
        if (type != MaskType.None)
            mask = Mask(inChannels, outChannels, kernelHeight, kernelWidth, cy, cx, type, colours);
        // The mask closes every row below the centre: forward convolves only the rows up to the centre (3 of 9 taps
        // fewer for a 3×3 kernel, 21 of 49 for a 7×7), padding no rows below.
        openRows = type == MaskType.None ? kernelHeight : cy + 1;
        openPadding = [padding[0], padding[1], padding[2], openRows - 1 - cy];
        padsInput = openPadding.Any(p => p != 0);
        // Per kernel row, the leading columns that can hold an open tap: every column above the centre row, the
        // columns left of the centre (and the centre itself, unless a type-A mask closes it for every colour) on it.
        bool centreOpen = type != MaskType.A || colours > 1;
        openColumns = Enumerable.Range(0, kernelHeight).Select(r =>
            type == MaskType.None || r < cy ? kernelWidth : r == cy ? cx + (centreOpen ? 1 : 0) : 0).ToArray();
        RegisterComponents();
    }

    /// <summary>Rows above the output pixel that one application reads (its contribution to the receptive field).</summary>
    public int RowsAbove => (int)padding[2];

    /// <summary>Kernel rows.</summary>
    public int KernelHeight => (int)conv.kernel_size[0];

    /// <summary>Kernel columns.</summary>
    public int KernelWidth => (int)conv.kernel_size[1];

    /// <summary>Zero rows padded above the input (the kernel rows above the output pixel).</summary>
    public int PadTop => (int)padding[2];

    /// <summary>Zero columns padded left of the input (the kernel columns left of the output pixel).</summary>
    public int PadLeft => (int)padding[0];

    /// <summary>Stride in both directions.</summary>
    public int Stride => (int)strides[0];

    /// <summary>Output channels.</summary>
    public long OutChannels => conv.out_channels;

    /// <summary>Input channels.</summary>
    public long InChannels => conv.in_channels;

    /// <summary>Per kernel row, the leading columns that can hold an open tap (0: the row is closed).</summary>
    internal IReadOnlyList<int> OpenColumns => openColumns;

    /// <summary>The bias <c>[out]</c>.</summary>
    internal Tensor? Bias => conv.bias;

    /// <summary>
    /// The mask <c>[out, in, kh, kw]</c> of the rule in the class summary. Colour of channel <c>k</c> is <c>k mod colours</c>.
    /// </summary>
    public static Tensor Mask(long inChannels, long outChannels, int kh, int kw, int cy, int cx, MaskType type, int colours)
    {
        var m = new float[outChannels * inChannels * kh * kw];
        int index = 0;
        for (long o = 0; o < outChannels; o++)
        for (long i = 0; i < inChannels; i++)
        for (int y = 0; y < kh; y++)
        for (int x = 0; x < kw; x++)
        {
            int dy = y - cy, dx = x - cx;
            long ci = i % colours, co = o % colours;
            bool open = dy < 0 || (dy == 0 && dx < 0) ||
                        (dy == 0 && dx == 0 && (type == MaskType.A ? ci < co : ci <= co));
            m[index++] = open ? 1f : 0f;
        }
        return tensor(m, [outChannels, inChannels, kh, kw]);
    }

    /// <summary>
    /// An all-zero input map <c>[B, in, H + pad, W + pad]</c> already padded for this convolution, to be filled one
    /// pixel at a time through <see cref="Write"/> and read by <see cref="At"/> (the per-pixel cache of fast sampling).
    /// </summary>
    /// <remarks>On the CPU the map is channels-last (<see cref="MemoryLayout"/>): the channels of a pixel are adjacent,
    /// so a kernel row's patch is a strided view that <see cref="At"/> multiplies without copying it.</remarks>
    public Tensor EmptyCache(long batch, long height, long width, ScalarType dtype, Device device) =>
        MemoryLayout.ChannelsLast(zeros([batch, conv.in_channels, height + padding[2] + padding[3], width + padding[0] + padding[1]], dtype, device));

    /// <summary>Stores the input <c>[B, in]</c> of pixel <c>(row, col)</c> in a cache made by <see cref="EmptyCache"/>.</summary>
    public void Write(Tensor cache, int row, int col, Tensor value) =>
        cache.select(3, col + (int)padding[0]).select(2, row + (int)padding[2]).copy_(value);

    /// <summary>Stores the input <c>[B, in, 1, W]</c> of a whole row in a cache made by <see cref="EmptyCache"/>.</summary>
    public void WriteRow(Tensor cache, int row, Tensor value) =>
        cache.narrow(2, row + (int)padding[2], 1).narrow(3, (int)padding[0], value.size(3)).copy_(value);

    /// <summary>The output <c>[B, out, 1, W]</c> of a whole row (stride 1) from the cache's rows up to it.</summary>
    public Tensor RowAt(Tensor cache, int row) => Valid(cache.narrow(2, row, KernelHeight));

    /// <summary>
    /// The output <c>[B, out]</c> at pixel <c>(row, col)</c> alone (stride 1): the masked kernel applied to the one
    /// patch of the cache it covers, which is exactly what <see cref="forward"/> computes there.
    /// </summary>
    /// <remarks>
    /// One product per kernel row over that row's open columns only (<c>[B, columns·in] × [columns·in, out]</c>), so the
    /// taps that the mask closes cost nothing, and in a channels-last cache each row's patch is read in place.
    /// </remarks>
    public Tensor At(Tensor cache, int row, int col)
    {
        Tensor[] matrices = frozen?.Matrices ?? RowMatrices();
        Tensor? y = null;
        for (int r = 0, m = 0; r < KernelHeight; r++)
        {
            int columns = openColumns[r];
            if (columns == 0) continue;
            // [B, in, columns] → [B, columns, in] → [B, columns·in]: a view when the cache is channels-last.
            Tensor patch = columns == 1
                ? cache.select(2, row + r).select(2, col)
                : cache.select(2, row + r).narrow(2, col, columns).permute(0, 2, 1).flatten(1);
            Tensor matrix = matrices[m++];
            y = y is null ? (conv.bias is null ? patch.matmul(matrix) : addmm(conv.bias, patch, matrix, 1, 1)) : addmm(y, patch, matrix, 1, 1);
        }
        return y ?? (conv.bias is null ? zeros([cache.size(0), OutChannels], cache.dtype, cache.device) : conv.bias.expand(cache.size(0), -1));
    }

    /// <summary>The masked kernel's open part, one matrix <c>[columns·in, out]</c> per kernel row with open columns.</summary>
    internal Tensor[] RowMatrices()
    {
        Tensor weight = mask is null ? conv.weight! : conv.weight! * mask;                 // [out, in, kh, kw]
        return Enumerable.Range(0, KernelHeight).Where(r => openColumns[r] > 0)
            .Select(r => weight.select(2, r).narrow(2, 0, openColumns[r]).permute(2, 1, 0).reshape(-1, OutChannels))
            .ToArray();
    }

    private FrozenKernel? frozen;

    /// <summary>
    /// Until the returned object is disposed, <see cref="At"/> computes the masked kernel's row matrices once, at its
    /// first call, instead of on every call. For sampling loops, during which the weights do not change; a convolution
    /// whose per-pixel path is never taken (one a cached sampler runs over whole windows) never makes the matrix.
    /// </summary>
    public IDisposable FreezeKernel()
    {
        frozen?.Dispose();
        frozen = new FrozenKernel(this);
        return frozen;
    }

    /// <summary>The row matrices made on first use; not tensor fields, so never registered buffers.</summary>
    private sealed class FrozenKernel(MaskedConv2d owner) : IDisposable
    {
        private Tensor[]? matrices;

        /// <remarks>Made outside the caller's dispose scope: they live until <see cref="Dispose"/>.</remarks>
        public Tensor[] Matrices
        {
            get
            {
                if (matrices is null)
                    using (no_grad()) matrices = owner.RowMatrices().Select(m => m.contiguous().DetachFromDisposeScope()).ToArray();
                return matrices;
            }
        }

        public void Dispose()
        {
            if (owner.frozen == this) owner.frozen = null;
            foreach (Tensor m in matrices ?? []) m.Dispose();
        }
    }

    /// <summary>
    /// The convolution of an already padded window <c>[B, in, h, w]</c> without further padding: the outputs whose whole
    /// kernel lies in the window (how cached sampling computes a run of positions).
    /// </summary>
    public Tensor Valid(Tensor window) =>
        mask is null ? ChannelsLastConvolution.Forward(conv, window) : ChannelsLastConvolution.Conv2d(window, conv.weight! * mask, conv.bias, strides);

    /// <summary>
    /// A 1×1 convolution applied to rows of channels, <c>[N, in] → [N, out]</c>: <see cref="forward"/> at N pixels,
    /// one product with the masked kernel.
    /// </summary>
    public Tensor Pointwise(Tensor rows)
    {
        if (KernelHeight != 1 || KernelWidth != 1) throw new InvalidOperationException("Pointwise needs a 1×1 kernel.");
        if (TakesWindowKernel(rows)) return ByWindowKernel(rows.reshape(1, 1, rows.size(0), InChannels)).view(rows.size(0), OutChannels);
        Tensor matrix = frozen?.Matrices[0] ?? RowMatrices()[0];                             // [in, out]
        return conv.bias is null ? rows.matmul(matrix) : addmm(conv.bias, rows, matrix, 1, 1);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A masked kernel is convolved over its open rows only (the same function with fewer multiply-adds), and on the
    /// CPU a map of several channels is convolved in the channels-last layout (<see cref="MemoryLayout"/>). A one-channel
    /// map (an image) is convolved on the CPU as one matrix product over its patches (<see cref="OneChannel"/>).
    /// </remarks>
    public override Tensor forward(Tensor x)
    {
        x = MemoryLayout.ChannelsLast(x);
        if (x.size(1) == 1 && Stride == 1 && x.device_type == DeviceType.CPU) return OneChannel(x);
        if (mask is null) return ChannelsLastConvolution.Forward(conv, nn.functional.pad(x, padding));
        Tensor weight = OpenKernel();
        bool recorded = weight.requires_grad && is_grad_enabled();
        // A pad by nothing still copies the map; without gradients a 1×1 kernel reads the map itself. A recorded pass
        // keeps the copy: the gradient function holds on to its input, which the caller may change in place afterwards.
        Tensor padded = recorded || padsInput ? nn.functional.pad(x, openPadding) : x;
        if (Stride == 1 && x.device_type == DeviceType.CPU && recorded)
            return ConvolveForTraining(padded, weight);
        if (TakesWindowKernel(padded)) return ByWindowKernel(padded.permute(0, 2, 3, 1)).permute(0, 3, 1, 2);
        // A one-channel input (an image, off the path above) gives libtorch no layout to follow: its output is made
        // channels-last here, once, so that the residual sums and the convolutions after it all run in one layout.
        return MemoryLayout.ChannelsLast(nn.functional.conv2d(padded, weight, conv.bias, strides: strides));
    }

    /// <summary>
    /// The convolution under autograd on the CPU, through <see cref="PaddedConvolutionFunction"/>: its weight gradient
    /// by one product per tap in place of oneDNN's (docs/benchmarks.md).
    /// </summary>
    private Tensor ConvolveForTraining(Tensor padded, Tensor weight)
    {
        if (!PaddedGradientsEnabled) return MemoryLayout.ChannelsLast(nn.functional.conv2d(padded, weight, conv.bias, strides: strides));
        // The function's forward hands back its own wrappers of the output and of what it saves; they are released
        // here, once the graph holds them.
        using var scope = NewDisposeScope();
        return PaddedConvolutionFunction.apply(padded, weight, conv.bias, openColumns[..openRows]).MoveToOuterDisposeScope();
    }

    /// <summary>Whether training convolutions take <see cref="PaddedConvolutionFunction"/> on the calling thread; off only to compare.</summary>
    internal static bool PaddedGradientsEnabled
    {
        get => !paddedGradientsDisabled;
        set => paddedGradientsDisabled = !value;
    }

    [ThreadStatic] private static bool paddedGradientsDisabled;

    /// <summary>
    /// Whether <see cref="WindowConvolution"/> computes this convolution of <paramref name="input"/> (the padded map,
    /// or rows of channels for <see cref="Pointwise"/>): a masked kernel with an open tap, stride 1, and
    /// <see cref="WindowKernel.Takes"/>.
    /// </summary>
    internal bool TakesWindowKernel(Tensor input) =>
        mask is not null && Stride == 1 && openColumns.Any(c => c > 0) && WindowKernel.Takes(input, conv.weight!, conv.bias);

    /// <summary>
    /// The convolution without gradients of <paramref name="rows"/> <c>[B, H + pad, W + pad, in]</c> (the padded map,
    /// channels-last) over each kernel row's open columns only, by <see cref="WindowConvolution"/>:
    /// <c>[B, H, W, out]</c>. For PixelCNN's 3×3 type-B layer that is 5 taps of 9 where libtorch's convolution
    /// multiplies the 6 of the open rows, and at a higher rate (docs/benchmarks.md).
    /// </summary>
    private Tensor ByWindowKernel(Tensor rows)
    {
        using var scope = NewDisposeScope();
        Tensor w = cat(frozen?.Matrices ?? RowMatrices(), 0);                                  // [K, out]
        return WindowKernel.Convolve(rows, w, conv.bias, rows.size(1) - openRows + 1, rows.size(2) - KernelWidth + 1, openColumns[..openRows])
            .MoveToOuterDisposeScope();
    }

    /// <summary>The kernel's open rows <c>[out, in, openRows, kw]</c>, masked.</summary>
    private Tensor OpenKernel()
    {
        if (mask is null) return conv.weight!;
        return openRows == KernelHeight ? conv.weight! * mask : conv.weight!.narrow(2, 0, openRows) * mask.narrow(2, 0, openRows);
    }

    /// <summary>
    /// The convolution of a one-channel map as <c>[B·H·W, openRows·kw] × [openRows·kw, out]</c> over its unfolded
    /// patches, the output channels-last. oneDNN has no fast kernel for one input channel: for PixelCNN's 7×7 type-A
    /// input layer at batch 64 the product took 12 ms where the convolution took 46 (forward and backward 37 against
    /// 58); with three channels the convolution is the faster, so only one channel takes this path.
    /// </summary>
    private Tensor OneChannel(Tensor x)
    {
        long b = x.size(0), height = x.size(2), width = x.size(3);
        Tensor patches = nn.functional.unfold(nn.functional.pad(x, openPadding), (openRows, KernelWidth));   // [B, k, H·W]
        Tensor y = nn.functional.linear(patches.transpose(1, 2), OpenKernel().flatten(1), conv.bias);        // [B, H·W, out]
        return y.view(b, height, width, OutChannels).permute(0, 3, 1, 2);
    }
}
