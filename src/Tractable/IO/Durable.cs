using System.Runtime.InteropServices;

namespace Tractable.IO;

/// <summary>
/// Forces written data to the disk, so that a rename that publishes a file or folder is never persisted before its
/// contents (after a power loss, a renamed-in checkpoint must not hold empty files). Files are flushed with
/// <c>fsync</c>; folders, whose entries a rename changes, with <c>fsync</c> on the folder itself where the system
/// allows it (Linux and macOS; on Windows the file system journals its metadata).
/// </summary>
public static class Durable
{
    /// <summary>Flushes the contents of the file at <paramref name="path"/> to the disk.</summary>
    public static void FlushFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Flushes the entries of the folder <paramref name="path"/> (files created, renamed or removed in it) to the disk;
    /// best effort: a file system that cannot sync a folder is left as it is.
    /// </summary>
    public static void FlushDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        int fd = open(path, 0);                                              // O_RDONLY: a folder can be opened for reading
        if (fd < 0) return;
        try
        {
            fsync(fd);
        }
        finally
        {
            close(fd);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);
}
