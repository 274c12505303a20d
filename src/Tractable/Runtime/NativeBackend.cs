using System.Runtime.InteropServices;

namespace Tractable.Runtime;

/// <summary>
/// Loads TorchSharp's native libraries (libtorch and LibTorchSharp) from the application's own output folder, or says
/// why they cannot be loaded. Call <see cref="EnsureLoaded"/> once, before the first tensor is made.
/// </summary>
/// <remarks>
/// <c>libLibTorchSharp.so</c> resolves <c>libtorch.so</c> through its RUNPATH (<c>$ORIGIN</c>), but a copy found
/// elsewhere first (a system libtorch such as Debian's <c>python3-torch</c>) would be bound to the wrong libtorch and
/// crash. Loading both by full path, from one folder that holds both, before TorchSharp probes pins them to the
/// versions the application was built with. When that fails, TorchSharp alone would only report that the application
/// "doesn't contain a reference to libtorch"; <see cref="NativeBackendException"/> names the file and the cause.
/// </remarks>
public static class NativeBackend
{
    private static readonly object Gate = new();
    private static bool _loaded;

    /// <summary>Loads libtorch and LibTorchSharp from the application's folder, once per process.</summary>
    /// <exception cref="NativeBackendException">The libraries are not in the application's folder, or the system
    /// loader refuses one of them (the message names the file and, for instance, the missing symbol version).</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            NativeLibraryNames names = NativeLibraryNames.ForThisProcess();
            string folder = FindFolder(AppContext.BaseDirectory, names)
                ?? throw NativeBackendException.NotFound(AppContext.BaseDirectory, names);
            foreach (string name in new[] { names.Torch, names.TorchSharp })
            {
                string path = Path.Combine(folder, name);
                try
                {
                    NativeLibrary.Load(path);
                }
                catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
                {
                    throw NativeBackendException.LoadFailed(path, e.Message, e);
                }
            }
            _loaded = true;
            Folder = folder;
            NativeHeap.StartPeriodicTrim();
        }
    }

    /// <summary>The folder libtorch was loaded from by <see cref="EnsureLoaded"/>, or null before.</summary>
    internal static string? Folder { get; private set; }

    /// <summary>
    /// The folder under <paramref name="baseDirectory"/> that holds both libtorch and LibTorchSharp:
    /// <c>runtimes/&lt;rid&gt;/native</c> (a portable build) or the folder itself (a build for one runtime); null if
    /// neither does. A folder with LibTorchSharp alone is passed over, since its libtorch would be looked up on the
    /// system's library path.
    /// </summary>
    internal static string? FindFolder(string baseDirectory, NativeLibraryNames names)
    {
        string[] candidates = [Path.Combine(baseDirectory, "runtimes", names.RuntimeIdentifier, "native"), baseDirectory];
        return candidates.FirstOrDefault(c =>
            File.Exists(Path.Combine(c, names.Torch)) && File.Exists(Path.Combine(c, names.TorchSharp)));
    }
}
