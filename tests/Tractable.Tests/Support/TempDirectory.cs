namespace Tractable.Tests.Support;

/// <summary>
/// A fresh folder under the system's temporary folder, deleted with all it holds on <see cref="Dispose"/>. A test
/// class holds one per test (xunit makes an instance per test and disposes it) or a test holds one in a <c>using</c>.
/// Converts to its path, so it can be passed wherever a folder name is expected.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("tractable-").FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> inside the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The folder's path.</summary>
    public static implicit operator string(TempDirectory directory) => directory.Path;

    /// <inheritdoc />
    public override string ToString() => Path;

    /// <summary>Deletes the folder and everything in it.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
