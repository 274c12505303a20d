using Tractable.Networks.Kernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// A linear layer's affine map of rows without gradients, <c>[N, in] → [N, out]</c>, by
/// <see cref="WindowConvolution"/>'s AVX-512 blocks (a 1×1 window over a row of N pixels) where the processor has them.
/// </summary>
/// <remarks>
/// oneMKL's single-precision product in libtorch runs its AVX2 kernels on AMD processors: about 75 GFLOP/s on one Zen 5
/// core for RealNVP's 256 × 256 hidden layer at batch 256, where the window kernel reaches 110–160 (docs/benchmarks.md).
/// The weight is transposed into a fresh <c>[in, out]</c> matrix on every call (a copy of the weight, small next to the
/// product), so that weights changed in place between calls are always the ones used.
/// </remarks>
internal static class WideLinear
{
    /// <summary>Whether the kernel is used at all on the calling thread; off only to compare.</summary>
    internal static bool Enabled
    {
        get => !disabled;
        set => disabled = !value;
    }

    [ThreadStatic] private static bool disabled;

    /// <summary>The fewest input features at which the kernel pays: below, oneMKL's product is as fast.</summary>
    public const int FewestInputs = 32;

    /// <summary>
    /// Whether <see cref="Write(Linear, Tensor, Tensor)"/> takes <paramref name="x"/> through <paramref name="linear"/>:
    /// see <see cref="Takes"/>, with rows <c>[N, in]</c> of at least <see cref="FewestInputs"/> inputs. The caller has
    /// checked that nothing is recorded for autograd.
    /// </summary>
    public static bool Applies(Linear linear, Tensor x) =>
        x.dim() == 2 && x.size(1) == linear.weight!.size(1) && x.size(1) >= FewestInputs && Takes(x, linear.weight);

    /// <summary>
    /// Whether the window kernel takes <paramref name="input"/> (rows whose last dimension is the input channels) with
    /// <paramref name="weight"/> (outputs first) on the calling thread: float32 on the CPU, nothing for autograd to
    /// record, outputs in the kernel's AVX-512 blocks, libtorch on no more threads than the kernels may split over
    /// (<see cref="ThinConvolution.MostThreads"/>), and maps that a span reaches.
    /// </summary>
    public static bool Takes(Tensor input, Tensor weight)
    {
        if (!Enabled || input.device_type != DeviceType.CPU || input.dtype != ScalarType.Float32 || weight.dtype != ScalarType.Float32) return false;
        if (is_grad_enabled() && (input.requires_grad || weight.requires_grad)) return false;
        long inputs = input.size(-1), outputs = weight.size(0);
        return inputs > 0 && WindowConvolution.Wide(outputs) && get_num_threads() <= ThinConvolution.MostThreads &&
               input.numel() / inputs * Math.Max(inputs, outputs) * sizeof(float) <= int.MaxValue;
    }

    /// <summary>Writes <c>x · Wᵀ + b</c> of <paramref name="linear"/> into <paramref name="y"/> <c>[N, out]</c>
    /// (contiguous) and returns it; where <see cref="Applies"/> holds.</summary>
    public static Tensor Write(Linear linear, Tensor x, Tensor y) => Write(x, linear.weight!, linear.bias, y);

    /// <summary>
    /// Writes <c>x · Wᵀ + b</c> of rows <paramref name="x"/> <c>[N, in]</c>, <paramref name="weight"/> <c>[out, in]</c>
    /// and <paramref name="bias"/> (none: zero) into <paramref name="y"/> <c>[N, out]</c> (contiguous) and returns it;
    /// where <see cref="Takes"/> holds.
    /// </summary>
    public static unsafe Tensor Write(Tensor x, Tensor weight, Tensor? bias, Tensor y)
    {
        using var scope = NewDisposeScope();
        Tensor rows = x.contiguous(), w = weight.detach().t().contiguous();
        Tensor b = bias?.detach().contiguous() ?? zeros(weight.size(0), ScalarType.Float32);
        int n = (int)rows.size(0), inputs = (int)rows.size(1), outputs = (int)w.size(1);
        WindowConvolution.Write(TensorAddress.Of(rows), 1, n, TensorAddress.Of(w), TensorAddress.Of(b), TensorAddress.Of(y),
            1, 1, n, inputs, outputs, PointWindow, get_num_threads());
        TensorAddress.KeepAlive(rows, w, b, y);
        return y;
    }

    /// <summary>A 1×1 kernel's columns per row, for <see cref="WindowConvolution"/>.</summary>
    private static readonly int[] PointWindow = [1];
}
