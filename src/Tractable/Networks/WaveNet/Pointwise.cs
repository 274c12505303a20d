using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// A 1×1 convolution over a sequence, <c>W [C_out, C_in] · x [B, C_in, T] + b</c>: the same function as
/// <see cref="Conv1d.forward"/> with kernel 1, run in the layout of its input. A map whose channels are its innermost
/// axis (a transposed view of <c>[B, T, C]</c>) is one matrix product over all B·T rows, which libtorch's convolution
/// kernels run up to three times slower on the CPU (64 → 256 channels over 16 × 1,025 samples: 27 against 9 ms,
/// docs/benchmarks.md). The module keeps its parameters, so saved models are unchanged.
/// </summary>
/// <remarks>
/// The trunk keeps its maps laid out <c>[B, C, T]</c> (<see cref="WaveNetNetwork"/>), where the convolution is the
/// faster of the two, and under autograd its 1×1 layers run as convolutions whatever the layout; only the logits keep
/// the product (<see cref="ApplyPerPosition"/>): the race's WaveNet training step at batch 16 went from 1,075–1,102 to
/// 887–926 ms at one thread (three builds alternated; with the logits as a convolution too: 1,027–1,076 ms).
/// </remarks>
internal static class Pointwise
{
    /// <summary>Applies the kernel-1 <paramref name="conv"/> to <paramref name="x"/> <c>[B, C_in, T]</c>.</summary>
    public static Tensor Apply(Conv1d conv, Tensor x) => Apply(conv, x, 0, conv.weight!.size(0));

    /// <summary>Output channels <c>first … first + count − 1</c> of <see cref="Apply(Conv1d, Tensor)"/> alone.</summary>
    public static Tensor Apply(Conv1d conv, Tensor x, long first, long count)
    {
        Tensor weight = conv.weight!.squeeze(2);
        Tensor? bias = conv.bias;
        if (first != 0 || count != weight.size(0))
        {
            weight = weight.narrow(0, first, count);
            bias = bias?.narrow(0, first, count);
        }
        // A map laid out [B, C, T] is convolved: the product would copy it into rows first (64 → 128 channels over
        // 16 × 1,025 samples: 10.1 ms as a product, 6.0 ms as a convolution); a single step stays a product, which
        // costs a fraction of a convolution call. Under autograd every map is convolved: the backward then runs in the
        // layout of the dilated convolutions' outputs, where the transposed views of the product made libtorch copy
        // the gradients.
        if (is_grad_enabled() || (x.stride(2) == 1 && x.size(2) > 1)) return nn.functional.conv1d(x, weight.unsqueeze(2), bias);
        return Product(x, weight, bias);
    }

    /// <summary>
    /// The 1×1 convolution of rows <paramref name="rows"/> <c>[B, T, in]</c> (the channels innermost):
    /// <c>[B, T, out]</c>, contiguous; by the window kernel (<see cref="WideLinear"/>) where it takes the call.
    /// </summary>
    public static Tensor ApplyRows(Conv1d conv, Tensor rows)
    {
        Tensor weight = conv.weight!.squeeze(2);
        Tensor flat = rows.reshape(-1, rows.size(2));
        Tensor y = WindowKernel.Takes(flat, weight, conv.bias)
            ? WideLinear.Write(flat, weight, conv.bias, empty(flat.size(0), weight.size(0), ScalarType.Float32))
            : nn.functional.linear(flat, weight, conv.bias);
        return y.view(rows.size(0), rows.size(1), -1);
    }

    /// <summary>
    /// <see cref="Apply(Conv1d, Tensor)"/> with the result always laid out as <c>[B, T, C_out]</c> (a transposed view):
    /// for outputs read position by position, as logits normalized over their innermost axis.
    /// </summary>
    public static Tensor ApplyPerPosition(Conv1d conv, Tensor x) => Product(x, conv.weight!.squeeze(2), conv.bias);

    /// <summary>
    /// One product over all B·T positions (<c>[B·T, C_in] × [C_in, C_out]</c>, bias added by the BLAS call), read and
    /// returned as transposed views; a broadcast matmul of the weight would run B separate products instead.
    /// </summary>
    private static Tensor Product(Tensor x, Tensor weight, Tensor? bias) =>
        nn.functional.linear(x.transpose(1, 2), weight, bias).transpose(1, 2);
}
