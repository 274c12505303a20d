using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// A causal 1-D convolution by left padding (WaveNet, van den Oord et al. 2016, arXiv:1609.03499, §2.1, fig. 2-3):
/// <c>y[t] = b + Σ_j W_j x[t − (k − 1 − j)·d]</c>, with zeros before the start, so output <c>t</c> sees inputs
/// <c>t − (k−1)d … t</c> only. No mask: the input is padded by <c>(k−1)d</c> zeros on the left and convolved "valid".
/// </summary>
/// <remarks>Shapes: <c>[B, C_in, T] → [B, C_out, T]</c>. Example: <c>new CausalConv1d(32, 64, kernelSize: 2, dilation: 4)</c>.</remarks>
public sealed class CausalConv1d : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv;

    /// <summary>A causal convolution with <paramref name="kernelSize"/> taps spaced <paramref name="dilation"/> apart.</summary>
    public CausalConv1d(int inChannels, int outChannels, int kernelSize = 2, int dilation = 1, bool bias = true)
        : base(nameof(CausalConv1d))
    {
        if (kernelSize < 1 || dilation < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), "Kernel size and dilation must be at least 1.");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Dilation = dilation;
        conv = nn.Conv1d(inChannels, outChannels, kernelSize, dilation: dilation, bias: bias);
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Taps of the filter.</summary>
    public int KernelSize { get; }

    /// <summary>Spacing of the taps in time steps.</summary>
    public int Dilation { get; }

    /// <summary>How many past steps an output sees beyond its own: <c>(k − 1)·d</c>.</summary>
    public int History => (KernelSize - 1) * Dilation;

    /// <summary>Below this many positions (batch × length) a pass runs tap by tap; above it, as one convolution.</summary>
    private const long ShortSequence = 4096;

    /// <inheritdoc />
    /// <remarks>
    /// A short sequence (naive generation's windows) runs tap by tap, one product per tap whose shift falls inside
    /// the sequence: a tap that reads only the causal padding adds nothing, and libtorch's dilated convolution costs
    /// about 0.1–0.2 ms a call whatever the length.
    /// </remarks>
    public override Tensor forward(Tensor x)
    {
        long length = x.size(2);
        if (x.size(0) * length > ShortSequence && History < length) return ChannelsLastConvolution.Forward(conv, nn.functional.pad(x, [History, 0]));
        Tensor? y = null;
        for (int j = 0; j < KernelSize; j++)
        {
            long shift = (long)(KernelSize - 1 - j) * Dilation;                   // tap j reads x[t − shift]
            if (shift >= length) continue;
            Tensor input = shift == 0 ? x : nn.functional.pad(x.narrow(2, 0, length - shift), [shift, 0]);
            Tensor term = nn.functional.linear(input.transpose(1, 2), conv.weight!.select(2, j), y is null ? conv.bias : null);
            y = y is null ? term : y.add_(term);
        }
        return y!.transpose(1, 2);
    }

    /// <summary>
    /// The convolution of rows <paramref name="rows"/> <c>[B, T, in]</c> (the channels innermost), causally padded as
    /// <see cref="forward"/>: <c>[B, T, out]</c>. By the window kernel where it takes the call (float32 on the CPU, no
    /// gradients, outputs in its AVX-512 blocks; <see cref="WindowKernel.Takes"/>): each output row is the kernel's taps,
    /// <see cref="Dilation"/> rows apart in the padded input, against one weight matrix <c>[k·in, out]</c>.
    /// </summary>
    public Tensor ForwardRows(Tensor rows)
    {
        if (rows.dim() != 3 || rows.size(2) != InChannels || !WindowKernel.Takes(rows, conv.weight!, conv.bias))
            return forward(rows.transpose(1, 2)).transpose(1, 2);
        using var scope = NewDisposeScope();
        long batch = rows.size(0), length = rows.size(1);
        Tensor padded = nn.functional.pad(rows, [0, 0, History, 0]).unsqueeze(1);                  // [B, 1, H + T, in]
        Tensor w = conv.weight!.permute(2, 1, 0).reshape(KernelSize * InChannels, OutChannels);  // [k·in, out]
        return WindowKernel.Convolve(padded, w, conv.bias, 1, length, [KernelSize], Dilation).view(batch, length, OutChannels)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The convolution of a one-hot sequence given by its indices <c>[B, T]</c> (int64; −1 stands for a zero
    /// vector), without the one-hot tensor: tap <c>j</c> of a one-hot input picks column <c>x[t − (k−1−j)·d]</c> of
    /// <c>W_j</c>, so the convolution is <c>k</c> row lookups into the transposed taps. The same function as
    /// <see cref="forward"/> on the one-hot encoding, at a fraction of the cost when <c>C_in</c> is large (256
    /// quantization levels).
    /// </summary>
    /// <returns><c>[B, C_out, T]</c>.</returns>
    public Tensor ForwardOneHot(Tensor indices)
    {
        long batch = indices.size(0), length = indices.size(1);
        // Rows 0..C_in−1 of each tap's table are its columns; row C_in is zero and serves −1 and the causal padding.
        Tensor table = nn.functional.pad(conv.weight!.permute(2, 1, 0), [0, 0, 0, 1]);          // [k, C_in + 1, C_out]
        Tensor rows = indices.where(indices.ge(0), InChannels);
        if (History > 0) rows = cat([full([batch, History], InChannels, int64, indices.device), rows], 1);
        Tensor y = conv.bias is null ? zeros([batch * length, OutChannels], table.dtype, table.device) : conv.bias.expand(batch * length, -1);
        for (int j = 0; j < KernelSize; j++)
            y = y + table[j].index_select(0, rows.narrow(1, j * Dilation, length).reshape(-1));
        return y.view(batch, length, OutChannels).permute(0, 2, 1);
    }

    /// <summary>The filter as one matrix <c>[C_out, k·C_in]</c> over the taps stacked oldest first (for step-by-step use).</summary>
    public Tensor TapMatrix() => conv.weight!.permute(0, 2, 1).reshape(OutChannels, KernelSize * InChannels);

    /// <summary>The bias <c>[C_out]</c>, or null.</summary>
    public Tensor? Bias => conv.bias;

    /// <summary>The kernel <c>[out, in, k]</c>.</summary>
    internal Tensor Weight => conv.weight!;
}
