using System.Runtime.InteropServices;

namespace Tractable.Runtime;

/// <summary>
/// Keeps glibc from holding on to freed tensor memory. LibTorch allocates tensors with <c>posix_memalign</c>; with
/// glibc's default settings the heap then grows step after step although the number of live tensors is flat (a MAF
/// on MNIST grew by about 35 MB per step to 20 GB). Fixing the mmap threshold low stops the growth but makes every
/// large tensor a fresh mmap whose pages fault in on first touch, which made a Glow step three times slower. Instead
/// a background timer looks at the heap once a second and calls <c>malloc_trim</c> when more than
/// <see cref="TrimAbove"/> of it is free, which hands the free pages back while the heap keeps serving allocations at
/// full speed (measured: the same MAF stays under 1.7 GB, Glow keeps its speed). Trimming whenever anything is free
/// would hand back the pages a model's next pass reuses: each pass then faults all its feature maps in afresh, which
/// took a third of a PixelCNN's evaluation time in the kernel (docs/benchmarks.md). For the same reason the heap serves
/// tensors of up to 32 MiB itself and keeps up to <see cref="KeptFreeBytes"/> of freed pages at its top
/// (<see cref="KeepFreedPagesBetweenPasses"/>).
/// </summary>
public static class NativeHeap
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Free heap bytes above which the timer trims: room for a pass's feature maps, a bound on growth.</summary>
    public const long TrimAbove = 1L << 30;
    private static Timer? _timer;
    private static bool _available = OperatingSystem.IsLinux();

    /// <summary>
    /// Starts trimming the C heap once a second, once per process, after <see cref="KeepFreedPagesBetweenPasses"/>
    /// (Linux with glibc only; a no-op elsewhere).
    /// </summary>
    public static void StartPeriodicTrim()
    {
        if (!_available || _timer is not null) return;
        if (!Trim()) return;
        KeepFreedPagesBetweenPasses();
        _timer = new Timer(_ => TrimIfMostlyFree(), null, Period, Period);
    }

    /// <summary>
    /// Serves tensors of up to 32 MiB from the heap and lets <c>free</c> keep up to <see cref="KeptFreeBytes"/> of
    /// free pages at its top (glibc's <c>M_MMAP_THRESHOLD</c> and <c>M_TRIM_THRESHOLD</c>), so that the next pass
    /// reuses the pages of the last one; the periodic trim bounds the rest. Left alone where <c>GLIBC_TUNABLES</c>
    /// sets a malloc tunable. With glibc's own settings a MAF training step (5 MADE 2×512, batch 64) handed its pages
    /// back at every <c>free</c> and faulted them in again: about 40,000 page faults a second and 26 ms a pass against
    /// 16–19 ms (docs/benchmarks.md).
    /// </summary>
    /// <returns>Whether both settings were taken.</returns>
    public static bool KeepFreedPagesBetweenPasses()
    {
        if (!_available) return false;
        if (Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) == true) return false;
        try
        {
            return mallopt(MmapThreshold, LargestHeapAllocation) == 1 && mallopt(TrimThreshold, (int)KeptFreeBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Returns the heap's free pages to the system now; false where the C library has no malloc_trim.</summary>
    public static bool Trim()
    {
        if (!_available) return false;
        try
        {
            malloc_trim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other C libraries have no malloc_trim; they do not have this behaviour either.
            _available = false;
            return false;
        }
    }

    /// <summary>Free bytes in the C heap's arenas (glibc's <c>mallinfo2().fordblks</c>), or null where it cannot tell.</summary>
    public static long? FreeBytes()
    {
        if (!_available) return null;
        try
        {
            return (long)mallinfo2().FreeBytes;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;                                                   // glibc before 2.33: trim on every tick
        }
    }

    private static void TrimIfMostlyFree()
    {
        if (FreeBytes() is not { } free || free > TrimAbove) Trim();
    }

    /// <summary>glibc's <c>struct mallinfo2</c>: ten <c>size_t</c> fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallocInfo
    {
        public readonly nuint Arena, OrdinaryBlocks, SmallBlocks, MappedBlocks, MappedBytes, MaxAllocated, FastBinFreeBytes, AllocatedBytes, FreeBytes, TopReleasable;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo mallinfo2();

    /// <summary>
    /// Free bytes that <c>free</c> leaves at the top of the heap: a step's churn for the vector flows, little next to
    /// the pixel models' working sets (keeping up to <see cref="TrimAbove"/> made a Glow step at two threads slower).
    /// </summary>
    public const long KeptFreeBytes = 256L << 20;

    /// <summary>glibc's <c>mallopt</c> parameters (malloc.h) and the largest mmap threshold it accepts on 64-bit.</summary>
    private const int TrimThreshold = -1, MmapThreshold = -3, LargestHeapAllocation = 32 << 20;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
