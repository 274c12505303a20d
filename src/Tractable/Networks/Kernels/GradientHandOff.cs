using static TorchSharp.torch;

namespace Tractable.Networks.Kernels;

/// <summary>
/// The gradients that the kernels' autograd functions return. The autograd engine takes its own reference to each
/// when <c>backward</c> returns; the managed wrappers are kept here until the next backward call of any kernel
/// function and freed then, not left to the caller's dispose scope or the finalizer.
/// </summary>
internal static class GradientHandOff
{
    private static readonly List<Tensor> Kept = [];

    /// <summary>Frees the wrappers of the gradients returned by earlier backward calls; call on entering a backward.</summary>
    public static void ReleasePrevious()
    {
        lock (Kept)
        {
            foreach (Tensor t in Kept) t.Dispose();
            Kept.Clear();
        }
    }

    /// <summary>Takes <paramref name="grads"/> (nulls allowed) out of the current dispose scope and keeps them until the next backward call.</summary>
    public static List<Tensor> Keep(List<Tensor> grads)
    {
        lock (Kept)
            foreach (Tensor? t in grads)
                if (t is not null) Kept.Add(t.DetachFromDisposeScope());
        return grads;
    }
}
