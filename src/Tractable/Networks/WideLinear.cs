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
    /// Whether <see cref="Write"/> takes <paramref name="x"/> through <paramref name="linear"/>: float32 rows on the CPU,
    /// at least <see cref="FewestInputs"/> inputs, outputs in the kernel's AVX-512 blocks, libtorch on no more threads
    /// than the kernels may split over (<see cref="ThinConvolution.MostThreads"/>), and matrices that a span reaches.
    /// The caller has checked that nothing is recorded for autograd.
    /// </summary>
    public static bool Applies(Linear linear, Tensor x)
    {
        if (!Enabled || x.dim() != 2 || x.device_type != DeviceType.CPU || x.dtype != ScalarType.Float32 || linear.bias is null) return false;
        long inputs = linear.weight!.size(1), outputs = linear.weight.size(0);
        return x.size(1) == inputs && inputs >= FewestInputs && linear.weight.dtype == ScalarType.Float32 && WindowConvolution.Wide(outputs) &&
               get_num_threads() <= ThinConvolution.MostThreads && x.size(0) * Math.Max(inputs, outputs) * sizeof(float) <= int.MaxValue;
    }

    /// <summary>Writes <c>x · Wᵀ + b</c> of <paramref name="linear"/> into <paramref name="y"/> <c>[N, out]</c>
    /// (contiguous) and returns it; where <see cref="Applies"/> holds.</summary>
    public static unsafe Tensor Write(Linear linear, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        Tensor rows = x.contiguous(), w = linear.weight!.detach().t().contiguous(), bias = linear.bias!.detach().contiguous();
        int n = (int)rows.size(0), inputs = (int)rows.size(1), outputs = (int)w.size(1);
        WindowConvolution.Write(TensorAddress.Of(rows), 1, n, TensorAddress.Of(w), TensorAddress.Of(bias), TensorAddress.Of(y),
            1, 1, n, inputs, outputs, PointWindow, get_num_threads());
        TensorAddress.KeepAlive(rows, w, bias, y);
        return y;
    }

    /// <summary>A 1×1 kernel's columns per row, for <see cref="WindowConvolution"/>.</summary>
    private static readonly int[] PointWindow = [1];
}
