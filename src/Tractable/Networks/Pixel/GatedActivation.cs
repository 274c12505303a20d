using System.Runtime.Intrinsics;
using Tractable.Networks.Kernels;
using Tractable.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>Non-linearities of the gated PixelCNN family and WaveNet.</summary>
public static class GatedActivation
{
    /// <summary>
    /// <c>tanh(f) ⊙ σ(g)</c> for <c>[f, g]</c> = the two channel halves of <paramref name="x"/> <c>[B, 2p, H, W] → [B, p, H, W]</c>
    /// (van den Oord et al. 2016, arXiv:1606.05328, eq. 2). Halving keeps colour groups (colour = channel mod colours).
    /// </summary>
    /// <remarks>
    /// A contiguous float32 map on a CPU with 256-bit vectors takes <see cref="TanhSigmoidGate"/>: one pass
    /// forward and one backward instead of the tensor operations of <see cref="TanhSigmoid"/>.
    /// </remarks>
    public static Tensor Gate(Tensor x)
    {
        if (Fuses(x))
        {
            if (!is_grad_enabled() || !x.requires_grad) return FusedGate(x);
            // The function hands back its own wrapper of the output; released here, once the graph holds it.
            using var scope = NewDisposeScope();
            return TanhSigmoidGateFunction.apply(x).MoveToOuterDisposeScope();
        }
        Tensor[] halves = TensorSizes.Chunk(x, 2, 1);
        return TanhSigmoid(halves[0], halves[1]);
    }

    /// <summary>Whether <see cref="Gate"/> runs on the fused kernel for <paramref name="x"/>.</summary>
    internal static bool Fuses(Tensor x) =>
        FusedEnabled && Vector256.IsHardwareAccelerated && x.device_type == DeviceType.CPU && x.dtype == ScalarType.Float32 &&
        x.dim() >= 2 && x.size(1) % 2 == 0 && x.numel() > 0 && x.is_contiguous() &&
        x.size(0) <= int.MaxValue && x.numel() / x.size(0) / 2 <= int.MaxValue;

    /// <summary>
    /// The threads the fused kernel is split over: libtorch's, on its own OpenMP team (<see cref="OpenMpTeam"/>), or
    /// the calling thread alone where that team is not at hand. At two threads, WaveNet's training step took 543 and
    /// 570 ms with the tensor operations against 503 and 505 ms with the kernel split over the team; split over .NET's
    /// thread pool it was no faster than the tensor operations (docs/benchmarks.md).
    /// </summary>
    internal static int FusedThreads => OpenMpTeam.Available ? get_num_threads() : 1;

    /// <summary>Switches the fused kernel off on the calling thread (tests compare it with the tensor operations).</summary>
    internal static bool FusedEnabled
    {
        get => !fusedDisabled;
        set => fusedDisabled = !value;
    }

    [ThreadStatic] private static bool fusedDisabled;

    /// <summary>The rows (batch) and the elements of each half of a row of <paramref name="x"/> <c>[B, 2C, …]</c>.</summary>
    internal static (int Rows, int Half) Halves(Tensor x) => ((int)x.size(0), (int)(x.numel() / x.size(0) / 2));

    /// <summary><see cref="Gate"/> of a map that <see cref="Fuses"/> takes, outside autograd.</summary>
    internal static unsafe Tensor FusedGate(Tensor x, int? threads = null)
    {
        long[] shape = TensorSizes.Of(x);
        shape[1] /= 2;
        Tensor y = empty(shape, ScalarType.Float32);
        (int rows, int half) = Halves(x);
        TanhSigmoidGate.Forward(TensorAddress.Of(x), TensorAddress.Of(y), rows, half, threads ?? FusedThreads);
        TensorAddress.KeepAlive(x);
        return y;
    }

    /// <summary>The gradient with respect to <paramref name="x"/> of <c>Σ <paramref name="gradOutput"/> ⊙ Gate(x)</c>, for a map that <see cref="Fuses"/> takes.</summary>
    internal static unsafe Tensor FusedGradient(Tensor x, Tensor gradOutput, int? threads = null)
    {
        Tensor dy = gradOutput.contiguous(), dx = empty_like(x);
        (int rows, int half) = Halves(x);
        TanhSigmoidGate.Backward(TensorAddress.Of(x), TensorAddress.Of(dy), TensorAddress.Of(dx), rows, half, threads ?? FusedThreads);
        TensorAddress.KeepAlive(x, dy);
        return dx;
    }

    /// <summary>
    /// <c>tanh(f) ⊙ σ(g)</c>, the gated activation unit (PixelCNN eq. 2; WaveNet, arXiv:1609.03499, eq. 2), computed
    /// as <c>(2σ(2f) − 1) ⊙ σ(g)</c>: the same function (<c>tanh a = 2σ(2a) − 1</c>), but libtorch vectorizes the
    /// sigmoid and not tanh on the CPU (0.8 against 3.4 ms per million elements), so the gate costs half as much.
    /// </summary>
    public static Tensor TanhSigmoid(Tensor filter, Tensor gate)
    {
        Tensor g = gate.sigmoid();
        return ((filter * 2).sigmoid() * g).mul_(2).sub_(g);        // in place only where backward keeps no result
    }

    /// <summary>
    /// concat_elu: <c>elu([x, −x])</c> along channels, <c>[B, c, H, W] → [B, 2c, H, W]</c> (Salimans et al. 2017, arXiv:1701.05517;
    /// openai/pixel-cnn <c>concat_elu</c>).
    /// </summary>
    public static Tensor ConcatElu(Tensor x) => nn.functional.elu(cat([x, -x], 1), 1.0);
}
