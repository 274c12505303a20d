using System.Runtime.InteropServices;

namespace Tractable.Runtime;

/// <summary>
/// Loads TorchSharp's native libraries from the application's own output folder.
/// </summary>
/// <remarks>
/// <c>libLibTorchSharp.so</c> resolves <c>libtorch.so</c> through its RUNPATH (<c>$ORIGIN</c>), but a copy
/// found elsewhere first (a system libtorch such as Debian's <c>python3-torch</c>) would be bound to the wrong
/// libtorch and crash. Loading both by full path from <c>runtimes/&lt;rid&gt;/native</c> before TorchSharp
/// probes pins them to the versions the application was built with.
/// </remarks>
public static class NativeBackend
{
    private static readonly object Gate = new();
    private static bool _loaded;

    /// <summary>Loads libtorch and LibTorchSharp from the output folder, once; a no-op where they are absent.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            _loaded = true;
            NativeHeap.StartPeriodicTrim();
            string? folder = NativeFolder();
            if (folder is null) return;
            string[] order = OperatingSystem.IsWindows()
                ? ["torch.dll", "LibTorchSharp.dll"]
                : OperatingSystem.IsMacOS()
                    ? ["libtorch.dylib", "libLibTorchSharp.dylib"]
                    : ["libtorch.so", "libLibTorchSharp.so"];
            foreach (string name in order)
            {
                string path = Path.Combine(folder, name);
                if (File.Exists(path)) NativeLibrary.Load(path);
            }
        }
    }

    private static string? NativeFolder()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", $"{os}-{arch}", "native"),
            AppContext.BaseDirectory,
        ];
        return candidates.FirstOrDefault(c =>
            File.Exists(Path.Combine(c, "libLibTorchSharp.so")) || File.Exists(Path.Combine(c, "LibTorchSharp.dll"))
            || File.Exists(Path.Combine(c, "libLibTorchSharp.dylib")));
    }
}
