using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Tractable.Networks.Kernels;

/// <summary>The address of a contiguous CPU float32 tensor's first element, for the kernels.</summary>
internal static class TensorAddress
{
    /// <summary>
    /// The address of <paramref name="t"/>'s first element. The caller keeps <paramref name="t"/> alive while it uses
    /// the address; libtorch never moves a tensor's storage.
    /// </summary>
    public static unsafe float* Of(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
