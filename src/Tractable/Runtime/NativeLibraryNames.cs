using System.Runtime.InteropServices;

namespace Tractable.Runtime;

/// <summary>The runtime identifier and the file names of libtorch and LibTorchSharp on one platform.</summary>
/// <param name="RuntimeIdentifier">The NuGet runtime identifier whose <c>runtimes/&lt;rid&gt;/native</c> folder holds them, e.g. <c>linux-x64</c>.</param>
/// <param name="Torch">libtorch's file name.</param>
/// <param name="TorchSharp">LibTorchSharp's file name.</param>
internal sealed record NativeLibraryNames(string RuntimeIdentifier, string Torch, string TorchSharp)
{
    /// <summary>The names for the operating system and architecture of this process.</summary>
    public static NativeLibraryNames ForThisProcess()
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsWindows()) return new($"win-{arch}", "torch.dll", "LibTorchSharp.dll");
        if (OperatingSystem.IsMacOS()) return new($"osx-{arch}", "libtorch.dylib", "libLibTorchSharp.dylib");
        return new($"linux-{arch}", "libtorch.so", "libLibTorchSharp.so");
    }

    /// <summary>The libtorch CPU package that carries these files, e.g. <c>libtorch-cpu-linux-x64</c>.</summary>
    public string CpuPackage => $"libtorch-cpu-{RuntimeIdentifier}";
}
