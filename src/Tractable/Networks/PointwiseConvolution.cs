using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// A 1×1 convolution over channels-last maps on the CPU whose weight gradient is one matrix product of the rows, such
/// as the middle layer of Glow's coupling network (512 → 512 channels in the paper). Second derivatives are not provided.
/// </summary>
/// <remarks>
/// Over channels-last rows <c>X [NHW, I]</c> a 1×1 convolution is <c>Y = X Wᵀ + b</c>, so <c>∂L/∂W = (∂L/∂Y)ᵀ X</c>:
/// one product over all pixels. libtorch's backward computes it with oneDNN's 1×1 weight-gradient kernel, which
/// accumulates one copy of the weight per thread and reduces them; as one product it took 15.6 against 19.9 ms at two
/// threads for 256 → 256 channels over 64 images of 14×14, 3.2–3.7 against 6.0 ms over 7×7. The forward and the input's
/// gradient stay with oneDNN, the faster of the two there (docs/benchmarks.md). The product is taken where the processor
/// lacks AVX-512 (<see cref="PaysOnThisProcessor"/>).
/// </remarks>
public static class PointwiseConvolution
{
    /// <summary>
    /// Whether the calling thread takes the product: <see cref="PaysOnThisProcessor"/> unless set, which is done only
    /// to compare against libtorch.
    /// </summary>
    internal static bool Enabled
    {
        get => chosen ?? PaysOnThisProcessor;
        set => chosen = value;
    }

    [ThreadStatic] private static bool? chosen;

    /// <summary>
    /// Whether the product beats oneDNN's weight gradient here: where the processor has no AVX-512. oneDNN's kernels
    /// then run at AVX2's width as MKL's product does, and Glow's training step at two threads took 986.8 against
    /// 1,142.7 ms with the product (AMD Zen 3). Where oneDNN runs AVX-512 and libtorch's MKL does not (AMD Zen 5), the
    /// product made the step slower: 445.4 against 401.6 ms at two threads, 717.6 against 636.5 ms at one.
    /// </summary>
    internal static bool PaysOnThisProcessor { get; } = !System.Runtime.Intrinsics.X86.Avx512F.IsSupported;

    /// <summary>
    /// <c>conv.forward(x)</c>, with the weight's gradient as one product where <paramref name="conv"/> is a plain 1×1
    /// convolution, <paramref name="x"/> a channels-last float map on the CPU and a gradient is recorded. Where nothing
    /// is recorded, such a map's rows go to the window kernel's AVX-512 blocks where it takes them
    /// (<see cref="WideLinear"/>): Glow's 256 → 256 layer at 14×14 and batch 64 took about 9 ms on one core there
    /// against 20 in oneDNN's 1×1 convolution (docs/benchmarks.md).
    /// </summary>
    public static Tensor Forward(Conv2d conv, Tensor x)
    {
        if (x.dim() == 4 && x.size(1) >= WideLinear.FewestInputs && conv.bias is not null && Applies(conv, x) && WindowKernel.Takes(x, conv.weight!, conv.bias))
            return ByWindowKernel(conv, x);
        if (!Enabled || !is_grad_enabled() || !conv.weight!.requires_grad || !Applies(conv, x)) return conv.forward(x);
        using var scope = NewDisposeScope();
        return PointwiseConvolutionFunction.apply(x, conv.weight, conv.bias).MoveToOuterDisposeScope();
    }

    /// <summary>Whether <paramref name="conv"/> is a 1×1 convolution of stride 1, no padding, dilation 1 and one group,
    /// and <paramref name="x"/> a channels-last float32 or float64 map on the CPU with its input channels.</summary>
    internal static bool Applies(Conv2d conv, Tensor x) =>
        !conv.transposed && conv.groups == 1 && conv.kernel_size.All(k => k == 1) && conv.stride.All(s => s == 1) &&
        conv.dilation.All(d => d == 1) && (conv.padding_type == Padding.Valid || (conv.padding is { } p && p.All(v => v == 0))) &&
        x.device_type == DeviceType.CPU && x.dim() == 4 && x.size(1) == conv.weight!.size(1) &&
        x.dtype is ScalarType.Float32 or ScalarType.Float64 && x.dtype == conv.weight.dtype && RowsAreContiguous(x);

    /// <summary>The convolution of a channels-last map as one product over its rows, <c>[B·H·W, in] → [B·H·W, out]</c>,
    /// by the window kernel; the output channels-last.</summary>
    private static Tensor ByWindowKernel(Conv2d conv, Tensor x)
    {
        long b = x.size(0), height = x.size(2), width = x.size(3), outputs = conv.weight!.size(0);
        using var scope = NewDisposeScope();
        Tensor rows = x.permute(0, 2, 3, 1).reshape(-1, x.size(1));                          // a view: the rows are contiguous
        Tensor y = WideLinear.Write(rows, conv.weight.flatten(1), conv.bias, empty(rows.size(0), outputs, ScalarType.Float32));
        return y.view(b, height, width, outputs).permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>Whether the pixels of <paramref name="x"/> <c>[N, C, H, W]</c> are contiguous rows of C channels:
    /// channels-last, or any layout of one channel.</summary>
    private static bool RowsAreContiguous(Tensor x)
    {
        using Tensor rows = x.permute(0, 2, 3, 1);
        return rows.is_contiguous();
    }
}
