using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// A 1×1 convolution over a sequence as one matrix product, <c>W [C_out, C_in] · x [B, C_in, T] + b</c>: the same
/// function as <see cref="Conv1d.forward"/> with kernel 1, through the BLAS rather than the convolution kernels,
/// which libtorch runs up to three times slower for these shapes on the CPU (64 → 256 channels over 16 × 1,025
/// samples: 27 against 9 ms, docs/benchmarks.md). The module keeps its parameters, so saved models are unchanged.
/// </summary>
internal static class Pointwise
{
    /// <summary>Applies the kernel-1 <paramref name="conv"/> to <paramref name="x"/> <c>[B, C_in, T]</c>.</summary>
    public static Tensor Apply(Conv1d conv, Tensor x) => Apply(conv, x, 0, conv.weight!.shape[0]);

    /// <summary>Output channels <c>first … first + count − 1</c> of <see cref="Apply(Conv1d, Tensor)"/> alone.</summary>
    public static Tensor Apply(Conv1d conv, Tensor x, long first, long count)
    {
        Tensor weight = conv.weight!.squeeze(2);
        Tensor? bias = conv.bias;
        if (first != 0 || count != weight.shape[0])
        {
            weight = weight.narrow(0, first, count);
            bias = bias?.narrow(0, first, count);
        }
        // One product over all B·T positions ([B·T, C_in] × [C_in, C_out], bias added by the BLAS call), read and
        // returned as transposed views; a broadcast matmul of the weight would run B separate products instead.
        return nn.functional.linear(x.transpose(1, 2), weight, bias).transpose(1, 2);
    }
}
