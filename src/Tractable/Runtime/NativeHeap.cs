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
/// took a third of a PixelCNN's evaluation time in the kernel (docs/benchmarks.md).
/// </summary>
public static class NativeHeap
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Free heap bytes above which the timer trims: room for a pass's feature maps, a bound on growth.</summary>
    public const long TrimAbove = 1L << 30;
    private static Timer? _timer;
    private static bool _available = OperatingSystem.IsLinux();

    /// <summary>Starts trimming the C heap once a second, once per process (Linux with glibc only; a no-op elsewhere).</summary>
    public static void StartPeriodicTrim()
    {
        if (!_available || _timer is not null) return;
        if (!Trim()) return;
        _timer = new Timer(_ => TrimIfMostlyFree(), null, Period, Period);
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

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
