using System.Text.RegularExpressions;

namespace Tractable.Runtime;

/// <summary>libtorch or LibTorchSharp could not be loaded; the message says which file and why.</summary>
public sealed partial class NativeBackendException : Exception
{
    private const string WeakenedVersion = "GLIBCXX_3.4.32";

    private NativeBackendException(string message, string? libraryPath, string? missingVersion, Exception? inner)
        : base(message, inner)
    {
        LibraryPath = libraryPath;
        MissingVersion = missingVersion;
    }

    /// <summary>The native library that could not be loaded, or null when none was found.</summary>
    public string? LibraryPath { get; }

    /// <summary>The symbol version the system lacks (e.g. <c>GLIBCXX_3.4.32</c>), when that is the cause.</summary>
    public string? MissingVersion { get; }

    /// <summary>Neither candidate folder under <paramref name="baseDirectory"/> holds both libraries.</summary>
    internal static NativeBackendException NotFound(string baseDirectory, NativeLibraryNames names)
    {
        string folder = Path.Combine(baseDirectory, "runtimes", names.RuntimeIdentifier, "native");
        string remedy = names.RuntimeIdentifier == "linux-x64"
            ? "The Tractable package brings libtorch-cpu-linux-x64: build the application with a reference to the " +
              "Tractable package (or to Tractable.csproj) and run it from its build or publish folder."
            : $"The Tractable package brings libtorch for Linux x64 only: add a reference to {names.CpuPackage} " +
              "(or to a CUDA build of libtorch) to the application and rebuild it.";
        return new NativeBackendException(
            $"libtorch for {names.RuntimeIdentifier} was not found: neither '{folder}' nor '{baseDirectory}' holds both " +
            $"{names.Torch} and {names.TorchSharp}. {remedy}", null, null, null);
    }

    /// <summary>The system loader refused <paramref name="path"/> with <paramref name="loaderMessage"/>.</summary>
    internal static NativeBackendException LoadFailed(string path, string loaderMessage, Exception? inner = null)
    {
        Match missing = MissingVersionPattern().Match(loaderMessage);
        if (!missing.Success)
            return new NativeBackendException(
                $"libtorch could not be loaded from '{path}': {LoaderReason(loaderMessage)}", path, null, inner);

        string provider = missing.Groups["provider"].Value;
        string version = missing.Groups["version"].Value;
        string requirer = missing.Groups["requirer"].Value;
        string message = $"libtorch could not be loaded: '{requirer}' needs the symbol version {version}, which " +
                         $"'{provider}' on this system does not provide.";
        if (version == WeakenedVersion && Path.GetFileName(requirer).Contains("LibTorchSharp", StringComparison.Ordinal))
            message += " TorchSharp asks for that version for one symbol it never uses. The Tractable package's build " +
                       "step (build/Tractable.targets) marks the requirement weak in the build and publish output, but " +
                       "this file was not patched: build or publish the application with a " +
                       "reference to the Tractable package and run it from that output. (With a project reference to " +
                       "Tractable.csproj, a publish for one runtime, -r, also needs an import of build/Tractable.targets.)";
        else
            message += $" Install a newer {Path.GetFileName(provider)}, or use a libtorch build made for this system.";
        return new NativeBackendException(message, requirer, version, inner);
    }

    /// <summary>The loader's own words: .NET puts them on the last line, after its general advice.</summary>
    private static string LoaderReason(string loaderMessage) =>
        loaderMessage.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
        ?? loaderMessage;

    // glibc's wording: "<provider>: version `GLIBCXX_3.4.32' not found (required by <requirer>)".
    [GeneratedRegex(@"(?<provider>[^\s:]+): version [`'](?<version>[^`']+)' not found \(required by (?<requirer>[^)]+)\)")]
    private static partial Regex MissingVersionPattern();
}
