using static TorchSharp.torch;

namespace Tractable.Networks.Kernels;

/// <summary>
/// The gradients that the kernels' autograd functions return. The autograd engine takes its own reference to each
/// when <c>backward</c> returns; the managed wrappers are kept here until the next backward call of any kernel
/// function on the same thread and freed then, not left to the caller's dispose scope or the finalizer.
/// </summary>
/// <remarks>
/// Per thread: libtorch runs a CPU graph's backward on the thread that called it, and a backward on another thread
/// (another model trained alongside) must not free wrappers that this thread has not handed over yet.
/// </remarks>
internal static class GradientHandOff
{
    [ThreadStatic] private static List<Tensor>? kept;

    /// <summary>Frees the wrappers of the gradients returned by this thread's earlier backward calls; call on entering a backward.</summary>
    public static void ReleasePrevious()
    {
        if (kept is null) return;
        foreach (Tensor t in kept) t.Dispose();
        kept.Clear();
    }

    /// <summary>Takes <paramref name="grads"/> (nulls allowed) out of the current dispose scope and keeps them until this thread's next backward call.</summary>
    public static List<Tensor> Keep(List<Tensor> grads)
    {
        kept ??= [];
        foreach (Tensor? t in grads)
            if (t is not null) kept.Add(t.DetachFromDisposeScope());
        return grads;
    }
}
