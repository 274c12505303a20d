using System.Runtime.InteropServices;

namespace Tractable.Runtime;

/// <summary>
/// Keeps glibc from holding on to freed tensor memory. glibc raises its mmap threshold each time a large mmapped
/// block is freed (up to 32 MiB), after which multi-megabyte tensors (masked weights, activations) come from the
/// heap and freed ones are not returned: a MAF on MNIST grew by about 35 MB per step to 20 GB with a flat count of
/// live tensors. A fixed threshold keeps large blocks on mmap, so their memory goes back to the system when freed.
/// </summary>
public static class NativeHeap
{
    private const int MallocMmapThreshold = -3;      // M_MMAP_THRESHOLD in <malloc.h>

    /// <summary>Fixes glibc's mmap threshold at 64 KiB (Linux only; a no-op elsewhere or where glibc is absent).</summary>
    public static void UseFixedMmapThreshold()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            mallopt(MallocMmapThreshold, 64 * 1024);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other C libraries have no mallopt; they do not have this behaviour either.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
