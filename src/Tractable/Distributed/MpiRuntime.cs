using System.Reflection;
using System.Runtime.InteropServices;

namespace Tractable.Distributed;

/// <summary>
/// Finds out whether an MPI launcher started this process, and loads the MPI library for MPI.NET.
/// </summary>
/// <remarks>
/// MPI.NET 1.4 is built against Microsoft MPI and imports <c>msmpi.dll</c>. Microsoft MPI shares MPICH's ABI (integer
/// handles and the same constants), so resolving that import to MPICH's <c>libmpich.so.12</c> (or another library of
/// the MPICH ABI, such as Intel MPI's <c>libmpi.so.12</c>) makes it work on Linux. Open MPI's ABI differs (pointer
/// handles), so a job started by Open MPI's launcher is refused with a clear message rather than left to crash.
/// Nothing here loads a library until <see cref="Load"/> is called.
/// </remarks>
public static class MpiRuntime
{
    /// <summary>An environment variable naming the MPI library to load instead of the default candidates.</summary>
    public const string LibraryVariable = "TRACTABLE_MPI_LIBRARY";

    /// <summary>An environment variable that asks for MPI (value <c>1</c>) even where no launcher's variables are set.</summary>
    public const string RequestVariable = "TRACTABLE_MPI";

    /// <summary>MPICH-ABI libraries, in the order they are tried.</summary>
    public static readonly IReadOnlyList<string> Candidates = ["libmpich.so.12", "libmpi.so.12"];

    private static readonly object Gate = new();
    private static IntPtr _library;

    /// <summary>
    /// The number of processes of the job when an MPICH-family launcher (Hydra's <c>mpirun</c>/<c>mpiexec</c>, or Slurm
    /// with PMI) started this process: its <c>PMI_SIZE</c>; null when none did.
    /// </summary>
    public static int? LaunchedSize() =>
        int.TryParse(Environment.GetEnvironmentVariable("PMI_SIZE"), out int size) ? size : null;

    /// <summary>Whether Open MPI's launcher started this process (its ABI is not MPICH's).</summary>
    public static bool LaunchedByOpenMpi => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;

    /// <summary>Whether MPI was asked for through <see cref="RequestVariable"/>.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable(RequestVariable) == "1";

    /// <summary>
    /// Loads the MPI library and routes MPI.NET's imports to it, once per process; throws
    /// <see cref="MpiUnavailableException"/> naming what was tried when no library loads.
    /// </summary>
    public static void Load()
    {
        lock (Gate)
        {
            if (_library != IntPtr.Zero) return;
            if (LaunchedByOpenMpi)
                throw new MpiUnavailableException(
                    "This process was started by Open MPI's mpirun; Tractable runs over MPICH (whose ABI MPI.NET uses). Start it with MPICH's launcher, mpirun.mpich.");
            string[] names = Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } chosen ? [chosen] : [.. Candidates];
            foreach (string name in names)
                if (NativeLibrary.TryLoad(name, out IntPtr handle))
                {
                    _library = handle;
                    break;
                }
            if (_library == IntPtr.Zero)
                throw new MpiUnavailableException(
                    $"MPI was asked for but no MPICH library could be loaded (tried {string.Join(", ", names)}): install MPICH " +
                    $"(Debian and Ubuntu: apt-get install mpich), or set {LibraryVariable} to a library of the MPICH ABI.");
            NativeLibrary.SetDllImportResolver(typeof(MPI.Environment).Assembly, Resolve);
        }
    }

    /// <summary>MPI.NET's one native import, <c>msmpi.dll</c>, is the loaded library.</summary>
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name.StartsWith("msmpi", StringComparison.OrdinalIgnoreCase) || name.StartsWith("mpich", StringComparison.OrdinalIgnoreCase)
            ? _library
            : IntPtr.Zero;
}
