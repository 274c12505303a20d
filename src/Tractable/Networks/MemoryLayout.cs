using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// The memory layout convolutions run fastest in. On the CPU, libtorch's convolution kernels (oneDNN) work in the
/// channels-last layout: an input in the default layout is reordered into it and the output back on every call, and
/// the reorders cost about as much as the arithmetic at these sizes (a 3×3 convolution of 64 channels over 64 images of
/// 28×28: 62 ms in the default layout, 38 ms channels-last; docs/benchmarks.md). A map once channels-last stays so
/// through convolutions and element-wise operations, so converting at the first convolution of a stack is enough.
/// </summary>
public static class MemoryLayout
{
    /// <summary>
    /// <paramref name="x"/> <c>[B, C, H, W]</c> in the channels-last layout (the same values and shape, strides
    /// <c>[HWC, 1, WC, C]</c>), or <paramref name="x"/> itself where it already is, has one channel, or is not on the CPU.
    /// </summary>
    public static Tensor ChannelsLast(Tensor x)
    {
        if (x.dim() != 4 || x.device_type != DeviceType.CPU || x.size(1) == 1 || IsChannelsLast(x)) return x;
        return x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
    }

    /// <summary>Whether the channels of <paramref name="x"/> <c>[B, C, H, W]</c> are its innermost dimension in memory.</summary>
    public static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 4) return false;
        long channels = x.size(1);
        return x.stride(1) == 1 && x.stride(3) == channels && x.stride(2) == channels * x.size(3);
    }
}
