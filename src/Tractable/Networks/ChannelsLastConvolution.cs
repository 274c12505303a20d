using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// libtorch's convolutions, called on channels-last maps wherever libtorch would pad the channels: the library's networks
/// convolve through here wherever a map may arrive in the default layout.
/// </summary>
/// <remarks>
/// On the CPU, libtorch 2.10's convolutions (oneDNN 3.7.1) computed wrong values for maps in the default layout whose
/// channels are not a multiple of oneDNN's block (16 with AVX-512, 8 with AVX2), with either instruction set: 3×3
/// convolutions with 12, 20, 24 or 40 inputs, the input gradient of 3×3 and of transposed convolutions, and of 1-d
/// convolutions with 2–4, 24 or 40 outputs; errors of 0.3–1.0 of the result's scale, or NaN, against float64 (AMD Zen 5;
/// docs/benchmarks.md). Those formats pad the channels to the block. In the channels-last layout oneDNN reads the
/// channels as they are, and every shape tried (forward, input and weight gradients; 2 to 256 channels) agreed with
/// float64. Channel counts that fill the blocks were right in either layout and keep the map's (<see cref="FillsBlocks"/>).
/// A 1-d convolution whose channels do not fill them runs as a 2-d one over maps of one row, channels-last. A one-channel
/// map has no other layout and is passed as it is.
/// </remarks>
public static class ChannelsLastConvolution
{
    /// <summary><paramref name="conv"/> applied to <paramref name="x"/> (<c>[B, C, L]</c> or <c>[B, C, H, W]</c>), with its own weight and bias.</summary>
    public static Tensor Forward(Convolution conv, Tensor x) => Forward(conv, x, conv.weight!, conv.bias);

    /// <summary><paramref name="conv"/>'s geometry (stride, padding, dilation) applied with another weight and bias.</summary>
    public static Tensor Forward(Convolution conv, Tensor x, Tensor weight, Tensor? bias)
    {
        if (conv.padding_mode != PaddingModes.Zeros || conv.groups != 1)
            throw new NotSupportedException("Zero-padded convolutions of one group only.");
        long[] padding = Padding(conv);
        if (conv.kernel_size.Length == 2)
            return conv.transposed
                ? ConvTranspose2d(x, weight, bias, conv.stride, padding, conv.output_padding, conv.dilation)
                : Conv2d(x, weight, bias, conv.stride, padding, conv.dilation);
        if (conv.kernel_size.Length == 1 && !conv.transposed)
            return Conv1d(x, weight, bias, conv.stride[0], padding[0], conv.dilation[0]);
        throw new NotSupportedException("2-d convolutions, transposed or not, and 1-d ones only.");
    }

    /// <summary><c>conv2d</c>, with <paramref name="x"/> channels-last where the channels do not fill oneDNN's blocks.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, long[]? strides = null, long[]? padding = null, long[]? dilation = null) =>
        FillsBlocks(weight.size(0), weight.size(1))
            ? nn.functional.conv2d(x, weight, bias, strides, padding, dilation)
            : nn.functional.conv2d(MemoryLayout.ChannelsLast(x), LayoutOf(x, weight), bias, strides, padding, dilation);

    /// <summary><c>conv_transpose2d</c>, with <paramref name="x"/> channels-last where the channels do not fill oneDNN's blocks.</summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor weight, Tensor? bias = null, long[]? strides = null, long[]? padding = null,
        long[]? outputPadding = null, long[]? dilation = null) =>
        FillsBlocks(weight.size(0), weight.size(1))
            ? nn.functional.conv_transpose2d(x, weight, bias, strides, padding, outputPadding, dilation)
            : nn.functional.conv_transpose2d(MemoryLayout.ChannelsLast(x), LayoutOf(x, weight), bias, strides, padding, outputPadding, dilation);

    /// <summary>
    /// The weight channels-last where the map has one pixel: both layouts of such a map are the same memory, libtorch then
    /// follows the weight's, and a default-layout weight took the padded path (the VAE's gated decoder, whose first
    /// transposed convolution reads the latent code as a one-pixel map, gave non-finite estimates at times).
    /// </summary>
    private static Tensor LayoutOf(Tensor x, Tensor weight) =>
        x.dim() == 4 && x.size(2) * x.size(3) == 1 ? MemoryLayout.ChannelsLast(weight) : weight;

    /// <summary><c>conv1d</c> of <paramref name="x"/> <c>[B, C, L]</c>; where the channels do not fill oneDNN's blocks, as a 2-d convolution of one row, channels-last.</summary>
    public static Tensor Conv1d(Tensor x, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1) =>
        FillsBlocks(weight.size(1), weight.size(0))
            ? nn.functional.conv1d(x, weight, bias, stride, padding, dilation)
            : Conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, [1, stride], [0, padding], [1, dilation]).squeeze(2);

    /// <summary>
    /// Whether both channel counts are whole multiples of oneDNN's widest block (16 floats), which its default-layout
    /// kernels read without padding; every such shape agreed with float64. A convolution of such channels keeps the
    /// map's layout: channels-last by force, WaveNet's 64 → 128-channel 1-d layers made its training step 2.2 times as
    /// long at one thread (970 against 444 ms), and the VAE's gated decoder took 447–538 against 304–313 ms for 500
    /// codes at two threads.
    /// </summary>
    internal static bool FillsBlocks(long inputs, long outputs) => inputs % 16 == 0 && outputs % 16 == 0;

    /// <summary>The explicit padding of <paramref name="conv"/>: "same" for an odd kernel at dilation 1 is half the kernel on each side; "valid" is none.</summary>
    private static long[] Padding(Convolution conv) => conv.padding_type switch
    {
        TorchSharp.Padding.Same when conv.kernel_size.All(k => k % 2 == 1) && conv.dilation.All(d => d == 1) => conv.kernel_size.Select(k => k / 2).ToArray(),
        TorchSharp.Padding.Valid => new long[conv.kernel_size.Length],
        null => conv.padding!,
        _ => throw new NotSupportedException("Explicit, valid or odd-kernel same padding only."),
    };
}
