using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// Two buffers per thread that the hidden layers of a network write in turn where no gradient is recorded, so that a
/// pass through many small networks, one after another (a flow's couplings), keeps writing the same memory, which
/// stays in the core's cache, where fresh outputs would each be new memory.
/// </summary>
/// <remarks>
/// A hidden activation is read by the next layer only and never escapes its network, and nothing is saved for a
/// backward pass when none is recorded, so the layer after next may overwrite it. The buffers grow to the largest
/// activation asked for up to <see cref="MostElements"/>; larger ones are fresh tensors, as they would not stay in the
/// cache anyway. A network that writes them must not be re-entered on the same thread before its pass ends.
/// </remarks>
internal static class HiddenBuffers
{
    /// <summary>The most elements a buffer holds: 4 MiB of float32, past a core's cache.</summary>
    public const long MostElements = 1L << 20;

    [ThreadStatic] private static Tensor?[]? buffers;
    [ThreadStatic] private static bool disabled;

    /// <summary>Whether the buffers are lent at all on the calling thread; off only to compare.</summary>
    internal static bool Enabled
    {
        get => !disabled;
        set => disabled = !value;
    }

    /// <summary>
    /// A <c>[rows, features]</c> view of buffer <paramref name="slot"/> (0 or 1) of <paramref name="like"/>'s type and
    /// device, its contents undefined; null where it would hold more than <see cref="MostElements"/>.
    /// </summary>
    public static Tensor? Rent(int slot, long rows, long features, Tensor like)
    {
        long count = rows * features;
        if (disabled || count > MostElements || count < 1) return null;
        Tensor?[] held = buffers ??= new Tensor?[2];
        Tensor? buffer = held[slot];
        if (buffer is null || buffer.numel() < count || buffer.dtype != like.dtype || buffer.device_type != like.device_type ||
            buffer.device_index != like.device_index)
        {
            // Sized for the larger of this request and the last, so that alternating batch sizes settle on one buffer.
            long size = Math.Min(Math.Max(count, buffer?.numel() ?? 0), MostElements);
            buffer?.Dispose();
            buffer = held[slot] = empty(size, dtype: like.dtype, device: like.device).DetachFromDisposeScope();
        }
        return buffer.narrow(0, 0, count).view(rows, features);
    }
}
