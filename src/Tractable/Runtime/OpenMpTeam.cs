using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Tractable.Runtime;

/// <summary>
/// Runs the parts of a managed kernel on the threads of libtorch's own OpenMP runtime (the <c>libgomp</c> shipped next
/// to libtorch), rather than on .NET's thread pool.
/// </summary>
/// <remarks>
/// After every parallel region, libgomp's workers spin for a while waiting for the next one and keep their cores. A
/// .NET thread woken to run the other half of a kernel right after a libtorch operation then shares a core with a
/// spinning worker, and the split pays nothing (docs/benchmarks.md). Handing the parts to that same team instead
/// (libgomp's <c>GOMP_parallel</c> entry point, which GCC's own <c>#pragma omp parallel</c> calls) gives them to the
/// waiting workers. Where the OpenMP runtime cannot be found, <see cref="For"/> runs on .NET's thread pool.
/// </remarks>
internal static unsafe class OpenMpTeam
{
    private static readonly delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> Parallel;
    private static readonly delegate* unmanaged<int> ThreadNumber;
    private static readonly delegate* unmanaged<int> TeamSize;

    static OpenMpTeam()
    {
        if (Library() is not { } handle) return;
        if (NativeLibrary.TryGetExport(handle, "GOMP_parallel", out nint parallel) &&
            NativeLibrary.TryGetExport(handle, "omp_get_thread_num", out nint number) &&
            NativeLibrary.TryGetExport(handle, "omp_get_num_threads", out nint size))
        {
            Parallel = (delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void>)parallel;
            ThreadNumber = (delegate* unmanaged<int>)number;
            TeamSize = (delegate* unmanaged<int>)size;
        }
    }

    /// <summary>Whether the parts run on libtorch's OpenMP threads.</summary>
    public static bool Available => Parallel != null;

    /// <summary>The OpenMP runtime loaded with libtorch: a <c>libgomp*.so*</c> in its folder, or null.</summary>
    private static nint? Library()
    {
        if (!OperatingSystem.IsLinux() || (NativeBackend.Folder ?? LoadedTorchFolder()) is not { } folder) return null;
        try
        {
            foreach (string path in Directory.EnumerateFiles(folder, "libgomp*.so*"))
                if (NativeLibrary.TryLoad(path, out nint handle)) return handle;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be listed: the thread pool serves.
        }
        return null;
    }

    /// <summary>
    /// The folder of the <c>libtorch_cpu.so</c> mapped into this process (Linux's <c>/proc/self/maps</c>), for an
    /// application that let TorchSharp load libtorch rather than <see cref="NativeBackend.EnsureLoaded"/>; null if none.
    /// </summary>
    internal static string? LoadedTorchFolder()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                int start = line.IndexOf('/');
                if (start >= 0 && line.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal)) return Path.GetDirectoryName(line[start..]);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>
    /// Calls <paramref name="body"/> once for each part <c>0 … parts − 1</c>, the parts spread over <paramref name="parts"/>
    /// threads, and returns when all are done. An exception of any part is rethrown here.
    /// </summary>
    public static void For(int parts, Action<int> body)
    {
        if (parts <= 1)
        {
            if (parts == 1) body(0);
            return;
        }
        if (!Available)
        {
            System.Threading.Tasks.Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, body);
            return;
        }
        var work = new Work(body, parts);
        GCHandle handle = GCHandle.Alloc(work);
        try
        {
            Parallel(&RunParts, (void*)GCHandle.ToIntPtr(handle), (uint)parts, 0);
        }
        finally
        {
            handle.Free();
        }
        work.Failure?.Throw();
    }

    /// <summary>One thread of the team: the parts whose number is its own modulo the team's size (the team may be smaller than asked).</summary>
    [UnmanagedCallersOnly]
    private static void RunParts(void* state)
    {
        var work = (Work)GCHandle.FromIntPtr((nint)state).Target!;
        try
        {
            for (int part = ThreadNumber(); part < work.Parts; part += TeamSize()) work.Body(part);
        }
        catch (Exception e)
        {
            // No exception may cross back into libgomp; the first is kept for the caller.
            Interlocked.CompareExchange(ref work.Failure, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    private sealed class Work(Action<int> body, int parts)
    {
        public Action<int> Body { get; } = body;

        public int Parts { get; } = parts;

        public ExceptionDispatchInfo? Failure;
    }
}
