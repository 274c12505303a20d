using System.Runtime.InteropServices;

namespace Tractable.Runtime;

/// <summary>
/// Keeps glibc from holding on to freed tensor memory without handing back the pages the next pass reuses. LibTorch
/// allocates tensors with <c>posix_memalign</c>; with glibc's default settings the heap grew step after step although
/// the number of live tensors was flat (a MAF on MNIST grew by about 35 MB per step to 20 GB), and every large tensor
/// came from a fresh mmap whose pages fault in on first touch. A page fault is not cheap: about 10 µs a page on a
/// virtual machine that reports freed memory to its host, where a Glow step then faulted 50,000 pages and took twice
/// as long (docs/benchmarks.md). So the heap serves every tensor itself and keeps what a pass frees for the next pass
/// (<see cref="KeepFreedPagesBetweenPasses"/>), and a background timer looks at the heap once a second and calls
/// <c>malloc_trim</c> only when the memory held is more than a model's passes need (<see cref="ShouldTrim"/>): more
/// than <see cref="TrimAbove"/> free, or a heap past <see cref="HeapBudget"/> with more than
/// <see cref="LeastTrimmed"/> of it free.
/// </summary>
public static class NativeHeap
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Free heap bytes above which the timer trims whatever the heap's size: a bound on idle memory.</summary>
    public const long TrimAbove = 2L << 30;

    /// <summary>Heap bytes (in use and free) above which the timer trims any free memory beyond <see cref="LeastTrimmed"/>.</summary>
    public const long HeapBudget = 3L << 30;

    /// <summary>Free bytes below which a heap past <see cref="HeapBudget"/> is left as it is: a trim would gain little.</summary>
    public const long LeastTrimmed = 256L << 20;

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
        _timer = new Timer(_ => TrimIfIdle(), null, Period, Period);
    }

    /// <summary>
    /// Serves every tensor from the heap (glibc's <c>M_MMAP_MAX</c> at 0: no tensor is a fresh mmap, whose pages fault
    /// in at every pass) and lets <c>free</c> keep the freed pages (<c>M_TRIM_THRESHOLD</c> at its largest), so that
    /// the next pass reuses the pages of the last one; the periodic trim bounds the rest. Left alone where
    /// <c>GLIBC_TUNABLES</c> sets a malloc tunable. glibc still maps a block that a thread's own arena cannot hold.
    /// </summary>
    /// <returns>Whether both settings were taken.</returns>
    public static bool KeepFreedPagesBetweenPasses()
    {
        if (!_available) return false;
        if (Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) == true) return false;
        try
        {
            return mallopt(MmapMax, 0) == 1 && mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a heap of <paramref name="heapBytes"/> with <paramref name="freeBytes"/> free is trimmed: when more than
    /// <see cref="TrimAbove"/> is free, or when the heap is past <see cref="HeapBudget"/> and more than
    /// <see cref="LeastTrimmed"/> is free. Below the budget a model's freed feature maps stay for its next pass.
    /// </summary>
    public static bool ShouldTrim(long heapBytes, long freeBytes) =>
        freeBytes > TrimAbove || (heapBytes > HeapBudget && freeBytes > LeastTrimmed);

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

    /// <summary>Bytes the C heap holds, in use and free, mapped blocks included (<c>mallinfo2</c>'s <c>arena + hblkhd</c>), or null where it cannot tell.</summary>
    public static long? HeapBytes()
    {
        if (!_available) return null;
        try
        {
            MallocInfo info = mallinfo2();
            return (long)(info.Arena + info.MappedBytes);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static void TrimIfIdle()
    {
        // Without mallinfo2 (glibc before 2.33) nothing tells the heap's state: trim on every tick.
        if (HeapBytes() is not { } heap || FreeBytes() is not { } free || ShouldTrim(heap, free)) Trim();
    }

    /// <summary>glibc's <c>struct mallinfo2</c>: ten <c>size_t</c> fields.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallocInfo
    {
        public readonly nuint Arena, OrdinaryBlocks, SmallBlocks, MappedBlocks, MappedBytes, MaxAllocated, FastBinFreeBytes, AllocatedBytes, FreeBytes, TopReleasable;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo mallinfo2();

    /// <summary>glibc's <c>mallopt</c> parameters (malloc.h).</summary>
    private const int TrimThreshold = -1, MmapMax = -4;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
