using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Tractable.Networks.Kernels;

/// <summary>The address of a contiguous CPU float32 tensor's first element, for the kernels.</summary>
internal static class TensorAddress
{
    /// <summary>
    /// The address of <paramref name="t"/>'s first element. The caller keeps <paramref name="t"/> alive while it uses
    /// the address (<see cref="KeepAlive"/> after the kernel); libtorch never moves a tensor's storage.
    /// </summary>
    public static unsafe float* Of(Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    /// <summary>
    /// Keeps <paramref name="tensors"/> reachable up to this call, placed after a kernel that read their addresses. A
    /// tensor that nothing reads after its address was taken may otherwise be finalized, its storage freed and reused
    /// by the heap, while the kernel still reads it (outside a dispose scope, which would hold it).
    /// </summary>
    public static void KeepAlive(params ReadOnlySpan<Tensor> tensors)
    {
        foreach (Tensor t in tensors) GC.KeepAlive(t);
    }
}
