using System.Runtime.Intrinsics;
using Tractable.Networks.Kernels;
using Tractable.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// A 3×3 convolution with padding 1 whose input or output has only a few channels, such as the first and last layers
/// of Glow's coupling network (C/2 → 512 and 512 → C channels), computed by kernels of its own on the CPU, with its
/// gradients.
/// </summary>
/// <remarks>
/// libtorch's kernels are built for many channels on both sides; with 1 to 4 on one side they reach a third to a half
/// of the rate of a 1×1 layer (docs/benchmarks.md). The kernels here serve float32 maps on the CPU, split over libtorch's
/// own OpenMP threads, or on one thread where those cannot be reached (<see cref="MostThreads"/>); everything else, and any shape they do not handle, goes to the layer's own
/// forward. The gradient of the input is the convolution
/// of the output's gradient by the transposed, flipped kernel, from few channels to many or back, so the same two
/// kernels serve it. Second derivatives are not provided.
/// </remarks>
public static class ThinConvolution
{
    /// <summary>
    /// The most channels a side may have and still count as few; a many-to-few layer may have up to twice as many
    /// outputs from <see cref="ManyInputs"/> inputs. 8 → 256 at 14×14 with its gradients took 42 ms against libtorch's
    /// 46 on one thread and 28 against 27 on two.
    /// </summary>
    public const int FewChannels = 4;

    /// <summary>Whether the kernels are used at all on the calling thread; off only to compare against libtorch.</summary>
    internal static bool Enabled
    {
        get => !disabled;
        set => disabled = !value;
    }

    [ThreadStatic] private static bool disabled;

    /// <summary>
    /// The most libtorch threads at which the kernels are used: any number when their parts run on libtorch's own
    /// OpenMP team (<see cref="OpenMpTeam"/>), one otherwise. Split over .NET's thread pool, each layer alone was
    /// faster at two threads, but inside Glow's coupling network, between libtorch's operations, the gain was gone
    /// (32.2 against 32.5 ms for the whole network): handing the cores from libtorch's threads to .NET's and back cost
    /// what the kernels saved. On the OpenMP team, Glow's training step at two threads took 1,092 and 1,151 ms against
    /// 1,169 and 1,189 ms with libtorch's convolutions, its density 296 against 364 ms (docs/benchmarks.md).
    /// </summary>
    internal static int MostThreads { get; set; } = OpenMpTeam.Available ? int.MaxValue : 1;

    /// <summary>
    /// <c>conv.forward(x)</c>: by the kernels where <paramref name="conv"/> is a 3×3 convolution with stride 1 and zero
    /// padding 1 that they handle (the same values to float32 rounding, returned channels-last, and the same
    /// gradients), by the layer itself otherwise.
    /// </summary>
    public static Tensor Forward(Conv2d conv, Tensor x) => Forward(conv, x, conv.weight!, conv.bias);

    /// <summary>
    /// The convolution of <paramref name="conv"/>'s kind (its kernel size, stride, padding) with
    /// <paramref name="weight"/> and <paramref name="bias"/> in place of its own, such as a slice of its channels:
    /// by the kernels where they handle it, by libtorch otherwise.
    /// </summary>
    public static Tensor Forward(Conv2d conv, Tensor x, Tensor weight, Tensor? bias)
    {
        if (!IsSamePadded3x3(conv) || !Applies(x, weight))
            return ChannelsLastConvolution.Forward(conv, x, weight, bias);
        bool recorded = is_grad_enabled() && (x.requires_grad || weight.requires_grad || bias?.requires_grad == true);
        if (!recorded) return Convolve(x, weight, bias);
        // The function's forward hands back its own wrappers of the output and of what it saves; they are released
        // here, once the graph holds them, so that the caller's disposal of the result frees the map.
        using var scope = NewDisposeScope();
        return ThinConvolutionFunction.apply(x, weight, bias).MoveToOuterDisposeScope();
    }

    /// <summary>Whether <paramref name="conv"/> is a 3×3 convolution with stride 1, dilation 1, one group and zero
    /// padding 1, the only one the kernels compute.</summary>
    internal static bool IsSamePadded3x3(Conv2d conv) =>
        !conv.transposed && conv.groups == 1 && conv.padding_mode == PaddingModes.Zeros &&
        conv.kernel_size.All(k => k == 3) && conv.stride.All(s => s == 1) && conv.dilation.All(d => d == 1) &&
        (conv.padding_type == Padding.Same || (conv.padding is { } p && p.All(v => v == 1)));

    /// <summary>Whether the kernels take this call: CPU float32 maps, libtorch on at most <see cref="MostThreads"/> threads, and a 3×3 kernel with
    /// few channels on exactly one side and a multiple of 8 on the other.</summary>
    internal static bool Applies(Tensor x, Tensor weight)
    {
        if (!Enabled || !Vector256.IsHardwareAccelerated || x.device_type != DeviceType.CPU) return false;
        if (get_num_threads() > MostThreads) return false;
        if (x.dtype != ScalarType.Float32 || weight.dtype != ScalarType.Float32) return false;
        if (x.dim() != 4 || weight.size(2) != 3 || weight.size(3) != 3 || x.size(2) < 1 || x.size(3) < 1) return false;
        long outputs = weight.size(0), inputs = weight.size(1);
        if (x.size(1) != inputs) return false;                      // libtorch's convolution reports the mismatch
        // The kernels address each map through a span, at most 2 GB.
        long pixels = x.size(0) * (x.size(2) + 2) * (x.size(3) + 2);
        if (pixels * Math.Max(inputs, outputs) * sizeof(float) > int.MaxValue) return false;
        return IsManyToFew(inputs, outputs) || IsFewToMany(inputs, outputs);
    }

    internal static bool IsManyToFew(long inputs, long outputs) =>
        inputs % 8 == 0 && inputs > FewChannels && (outputs <= FewChannels || (outputs <= 2 * FewChannels && inputs >= ManyInputs));

    /// <summary>
    /// The fewest inputs at which a layer to 5–8 outputs is taken, as two blocks of four. 256 → 8 channels at 7×7, batch
    /// 64 (the last layer of Glow's coupling at the second level), forward and gradients: 2.8 against 2.9 ms on one
    /// thread and 1.3 against 1.6 on two, the forward alone 0.75 against 1.2 and 0.42 against 0.68; from 64 inputs
    /// the gradients were slower than libtorch's (1.91 against 1.75 ms at 14×14 on two threads).
    /// </summary>
    internal const int ManyInputs = 128;

    /// <summary><paramref name="outputs"/> rounded up to the kernels' blocks of four.</summary>
    internal static int PaddedOutputs(int outputs) => (outputs + 3) / 4 * 4;

    internal static bool IsFewToMany(long inputs, long outputs) => outputs % 8 == 0 && outputs > FewChannels && inputs <= FewChannels;

    /// <summary>The convolution of <paramref name="x"/> <c>[N, C, H, W]</c>, returned channels-last.</summary>
    internal static Tensor Convolve(Tensor x, Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        Tensor channelsLast = ChannelsLastRows(x);
        Tensor y = IsManyToFew(weight.size(1), weight.size(0))
            ? ManyToFew(channelsLast, weight, bias)
            : FewToMany(WithBorder(channelsLast), weight, bias);
        return y.permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="x"/> <c>[N, C, H, W]</c> as contiguous rows <c>[N, H, W, C]</c>, a view where it is
    /// channels-last already.</summary>
    internal static Tensor ChannelsLastRows(Tensor x)
    {
        Tensor rows = x.permute(0, 2, 3, 1);
        return rows.is_contiguous() ? rows : rows.contiguous();
    }

    /// <summary>Rows <c>[N, H, W, C]</c> with a zero border: <c>[N, H + 2, W + 2, C]</c>.</summary>
    internal static Tensor WithBorder(Tensor rows) => nn.functional.pad(rows, [0, 0, 1, 1, 1, 1]).contiguous();

    /// <summary>From rows <c>[N, H, W, I]</c> with many channels to <c>[N, H, W, O]</c>, O ≤ 8, as blocks of four.</summary>
    internal static unsafe Tensor ManyToFew(Tensor rows, Tensor weight, Tensor? bias)
    {
        int images = (int)rows.size(0), height = (int)rows.size(1), width = (int)rows.size(2);
        int outputs = (int)weight.size(0), inputs = (int)weight.size(1), padded = PaddedOutputs(outputs);
        // [9, padded, inputs], with zero rows past the real outputs.
        Tensor w = nn.functional.pad(weight.detach().permute(2, 3, 0, 1).reshape(9, outputs, inputs), [0, 0, 0, padded - outputs]).contiguous();
        Tensor b = bias is null ? zeros(padded, dtype: ScalarType.Float32) : nn.functional.pad(bias.detach(), [0, padded - outputs]);
        Tensor y = b.expand(images, height, width, padded).contiguous();
        ManyToFewConv3x3.Accumulate(TensorAddress.Of(rows), TensorAddress.Of(w), TensorAddress.Of(y), images, height, width, inputs, padded, get_num_threads());
        TensorAddress.KeepAlive(rows, w);
        return padded == outputs ? y : y.narrow(3, 0, outputs);
    }

    /// <summary>A 3×3 kernel's columns per row, for <see cref="WindowConvolution"/>.</summary>
    private static readonly int[] FullWindow = [3, 3, 3];

    /// <summary>From bordered rows <c>[N, H + 2, W + 2, I]</c> with few channels to <c>[N, H, W, O]</c>.</summary>
    internal static Tensor FewToMany(Tensor bordered, Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        long inputs = weight.size(1), outputs = weight.size(0);
        Tensor w = weight.permute(2, 3, 1, 0).reshape(9 * inputs, outputs);                   // [3·3·inputs, outputs]
        return WindowKernel.Convolve(bordered, w, bias, bordered.size(1) - 2, bordered.size(2) - 2, FullWindow).MoveToOuterDisposeScope();
    }
}
