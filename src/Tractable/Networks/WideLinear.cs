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
    /// <summary>The fewest input features at which the kernel pays: below, oneMKL's product is as fast.</summary>
    public const int FewestInputs = 32;

    /// <summary>
    /// Whether <see cref="Write(Linear, Tensor, Tensor)"/> takes rows <paramref name="x"/> <c>[N, in]</c> through
    /// <paramref name="linear"/>: at least <see cref="FewestInputs"/> inputs, and <see cref="WindowKernel.Takes"/>.
    /// </summary>
    public static bool Applies(Linear linear, Tensor x) => Applies(x, linear.weight!, linear.bias);

    /// <summary>Whether <see cref="Write(Tensor, Tensor, Tensor?, Tensor, Tensor?, int[])"/> takes rows
    /// <paramref name="x"/> <c>[N, in]</c> with <paramref name="weight"/> <c>[out, in]</c> and <paramref name="bias"/>.</summary>
    public static bool Applies(Tensor x, Tensor weight, Tensor? bias) =>
        x.dim() == 2 && x.size(1) == weight.size(1) && x.size(1) >= FewestInputs && WindowKernel.Takes(x, weight, bias);

    /// <summary>Writes <c>x · Wᵀ + b</c> of <paramref name="linear"/> into <paramref name="y"/> <c>[N, out]</c>
    /// (contiguous) and returns it; where <see cref="Applies(Linear, Tensor)"/> holds.</summary>
    public static Tensor Write(Linear linear, Tensor x, Tensor y) => Write(x, linear.weight!, linear.bias, y);

    /// <summary>
    /// Writes <c>x · Wᵀ + b</c> of rows <paramref name="x"/> <c>[N, in]</c>, <paramref name="weight"/> <c>[out, in]</c>
    /// and <paramref name="bias"/> (none: zero) into <paramref name="y"/> <c>[N, out]</c> (contiguous) and returns it,
    /// as a 1×1 window over one row of N pixels; where <see cref="WindowKernel.Takes"/> holds. A masked layer gives its
    /// <paramref name="mask"/> <c>[out, in]</c>, and may give <paramref name="depths"/>: per group of 32 outputs, the
    /// leading inputs that its mask leaves open (<see cref="MaskDepths"/>).
    /// </summary>
    public static Tensor Write(Tensor x, Tensor weight, Tensor? bias, Tensor y, Tensor? mask = null, int[]? depths = null)
    {
        using var scope = NewDisposeScope();
        long n = x.size(0);
        WindowKernel.Convolve(x.reshape(1, 1, n, x.size(1)), WindowKernel.Transposed(weight, mask), bias, 1, n, PointWindow,
            into: y.view(1, 1, n, y.size(1)), depths: depths);
        return y;
    }

    /// <summary>
    /// Per group of 32 outputs of a mask <c>[out, in]</c>, how many leading inputs the group reads: one past the last
    /// input that any of its outputs sees. MADE's masks with degrees sorted close a trailing run of inputs to each
    /// group: in MAF's 512-unit layers over 8 features, 62% of the products remain.
    /// </summary>
    public static int[] MaskDepths(Tensor mask)
    {
        using var scope = NewDisposeScope();
        long outputs = mask.size(0), inputs = mask.size(1);
        // Per output, one past its last open input: the count of inputs up to and including it.
        Tensor open = mask.detach().ne(0);
        Tensor last = (open.to(ScalarType.Int64) * arange(1, inputs + 1, ScalarType.Int64)).amax(1);
        long[] perOutput = last.data<long>().ToArray();
        return Enumerable.Range(0, (int)((outputs + GroupOutputs - 1) / GroupOutputs))
            .Select(g => (int)perOutput.Skip(g * GroupOutputs).Take(GroupOutputs).Max()).ToArray();
    }

    /// <summary>The outputs of a group in <see cref="MaskDepths"/>.</summary>
    private const int GroupOutputs = 32;

    /// <summary>A 1×1 kernel's columns per row, for <see cref="WindowConvolution"/>.</summary>
    private static readonly int[] PointWindow = [1];
}
