using System.Runtime.InteropServices;
using Tractable.Runtime;

namespace Tractable.Tests.Runtime;

public sealed class NativeBackendTests : IDisposable
{
    private static readonly NativeLibraryNames Linux = new("linux-x64", "libtorch.so", "libLibTorchSharp.so");
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-natives-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Touch(string relative)
    {
        string path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
        return path;
    }

    [Fact]
    public void PrefersTheRuntimesFolderWhenItHoldsBothLibraries()
    {
        Touch("runtimes/linux-x64/native/libtorch.so");
        Touch("runtimes/linux-x64/native/libLibTorchSharp.so");
        Touch("libtorch.so");
        Touch("libLibTorchSharp.so");
        Assert.Equal(Path.Combine(folder, "runtimes", "linux-x64", "native"), NativeBackend.FindFolder(folder, Linux));
    }

    [Fact]
    public void PassesOverAFolderWithLibTorchSharpAlone()
    {
        // libtorch would then come from the system's library path (e.g. Debian's python3-torch): never load that.
        Touch("runtimes/linux-x64/native/libLibTorchSharp.so");
        Assert.Null(NativeBackend.FindFolder(folder, Linux));
        Touch("libtorch.so");
        Touch("libLibTorchSharp.so");
        Assert.Equal(folder, NativeBackend.FindFolder(folder, Linux));
    }

    [Fact]
    public void NamesTheFoldersAndThePackageWhenNothingIsFound()
    {
        var e = NativeBackendException.NotFound(folder, Linux);
        Assert.Contains(Path.Combine(folder, "runtimes", "linux-x64", "native"), e.Message);
        Assert.Contains("libtorch-cpu-linux-x64", e.Message);
        Assert.Null(e.LibraryPath);

        var mac = NativeBackendException.NotFound(folder, new("osx-arm64", "libtorch.dylib", "libLibTorchSharp.dylib"));
        Assert.Contains("add a reference to libtorch-cpu-osx-arm64", mac.Message);
    }

    [Fact]
    public void NamesTheMissingSymbolVersionAndTheFile()
    {
        // The system loader's words for TorchSharp 0.107's libLibTorchSharp.so on Debian 12 (libstdc++ of GCC 12).
        const string requirer = "/app/runtimes/linux-x64/native/libLibTorchSharp.so";
        string loader = $"Unable to load shared library '{requirer}' or one of its dependencies. In order to help " +
                        "diagnose loading problems, consider using a tool like strace. If you're using glibc, consider " +
                        "setting the LD_DEBUG environment variable: \n/lib/x86_64-linux-gnu/libstdc++.so.6: version " +
                        $"`GLIBCXX_3.4.32' not found (required by {requirer})\n";
        var e = NativeBackendException.LoadFailed(requirer, loader);
        Assert.Equal("GLIBCXX_3.4.32", e.MissingVersion);
        Assert.Equal(requirer, e.LibraryPath);
        Assert.Contains("'/lib/x86_64-linux-gnu/libstdc++.so.6' on this system does not provide", e.Message);
        Assert.Contains("build/Tractable.targets", e.Message);
        Assert.DoesNotContain("libtorch-cpu-linux-x64", e.Message);

        var other = NativeBackendException.LoadFailed("/app/libtorch_cpu.so",
            "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /app/libtorch_cpu.so)");
        Assert.Equal("GLIBC_2.38", other.MissingVersion);
        Assert.Contains("Install a newer libc.so.6", other.Message);
    }

    [Fact]
    public void GivesTheLoadersReasonForOtherFailures()
    {
        string missing = Path.Combine(folder, "libLibTorchSharp.so");
        var loaderError = Assert.Throws<DllNotFoundException>(() => NativeLibrary.Load(missing));
        var e = NativeBackendException.LoadFailed(missing, loaderError.Message, loaderError);
        Assert.StartsWith($"libtorch could not be loaded from '{missing}': ", e.Message);
        Assert.DoesNotContain("strace", e.Message);
        Assert.Null(e.MissingVersion);
    }
}
