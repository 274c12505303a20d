using System.Runtime.InteropServices;

namespace Tractable.Runtime;

/// <summary>
/// Shortens how long libtorch's OpenMP threads (GNU libgomp) spin after a parallel region before they sleep, so that
/// the library's own multi-threaded kernels get the cores between libtorch's operations.
/// </summary>
/// <remarks>
/// libgomp's threads busy-wait for <c>GOMP_SPINCOUNT</c> iterations (300,000 by default, several milliseconds here)
/// after each region. A kernel run on .NET's threads right after a libtorch operation then shares its cores with them:
/// a 3×3 convolution on two threads took 7.1 ms with the default against 4.8 ms with 10,000 (libtorch's own
/// convolution 5.8–5.9 ms either way), and Glow and MAF training steps at two threads did not slow down
/// (docs/benchmarks.md). 10,000 iterations still span the gap between two consecutive libtorch operations.
/// </remarks>
public static class OpenMpSpinWait
{
    /// <summary>The spin count set where the user has set none.</summary>
    public const int SpinCount = 10_000;

    /// <summary>
    /// Sets <c>GOMP_SPINCOUNT</c> to <see cref="SpinCount"/> in the process environment unless <c>GOMP_SPINCOUNT</c> or
    /// <c>OMP_WAIT_POLICY</c> is set; libgomp reads it when it loads, so this runs before libtorch is loaded
    /// (Linux only; a no-op elsewhere).
    /// </summary>
    /// <returns>Whether the variable was set.</returns>
    public static bool Shorten()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null ||
            Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return false;
        try
        {
            // .NET's Environment.SetEnvironmentVariable changes only the runtime's own copy; libgomp reads the C one.
            return setenv("GOMP_SPINCOUNT", SpinCount.ToString(System.Globalization.CultureInfo.InvariantCulture), 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPStr)] string name, [MarshalAs(UnmanagedType.LPStr)] string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv([MarshalAs(UnmanagedType.LPStr)] string name);

    /// <summary>The value of <paramref name="name"/> in the C environment that native libraries read, or null.</summary>
    internal static string? NativeValue(string name) => Marshal.PtrToStringAnsi(getenv(name));
}
