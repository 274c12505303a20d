namespace Tractable.IO;

/// <summary>
/// Checks, before any work is done, that a file or folder can be written where it is asked for: a long training run
/// or a large draw of samples should not end in an error about its output, nor leave half its output behind.
/// </summary>
/// <remarks>
/// Whether a folder takes new files is learned by creating an empty file in it that is deleted on closing
/// (<see cref="FileOptions.DeleteOnClose"/>): permissions alone do not say it (a read-only file system, a process
/// running as root, access control lists). Its name has the form of a temporary file (<c>NAME.GUID.tmp</c>), so that
/// one a kill leaves behind is removed with the other leftovers (<see cref="AtomicFile.RemoveLeftovers"/>).
/// </remarks>
public static class OutputLocation
{
    /// <summary>
    /// Checks that <paramref name="path"/> can be written as a file: it is not a folder, and the nearest existing folder
    /// on its path takes new files (folders missing on the way are created when the file is written).
    /// </summary>
    /// <exception cref="UnwritableOutputException">It cannot.</exception>
    public static void EnsureFile(string path)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new UnwritableOutputException(path, "it is a folder, not a file");
        EnsureFolderCanHold(path, Path.GetDirectoryName(full)!);
    }

    /// <summary>
    /// Checks that <paramref name="folder"/> can be written to: it is not a file, and it (or, while it does not exist,
    /// the nearest existing folder above it) takes new files.
    /// </summary>
    /// <exception cref="UnwritableOutputException">It cannot.</exception>
    public static void EnsureFolder(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (File.Exists(full)) throw new UnwritableOutputException(folder, "it is a file, not a folder");
        EnsureFolderCanHold(folder, full);
    }

    /// <summary>Checks that the nearest existing folder of <paramref name="folder"/> takes new files, for <paramref name="requested"/>.</summary>
    private static void EnsureFolderCanHold(string requested, string folder)
    {
        string existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw new UnwritableOutputException(requested, $"'{existing}' is a file, not a folder");
            existing = Path.GetDirectoryName(existing) ?? throw new UnwritableOutputException(requested, "no folder on its path exists");
        }
        string probe = Path.Combine(existing, $".write-check.{Guid.NewGuid():N}{AtomicFile.TemporarySuffix}");
        try
        {
            using var _ = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UnwritableOutputException(requested, $"the folder '{existing}' does not take new files ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }
}
