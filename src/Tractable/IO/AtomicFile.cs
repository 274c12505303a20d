namespace Tractable.IO;

/// <summary>
/// Writes files so that a reader never sees a half-written one, and a crash or power loss leaves either the old file
/// or the new one: write beside, flush to the disk, rename over, flush the folder.
/// </summary>
public static class AtomicFile
{
    /// <summary>The suffix of the temporary files written beside their targets (<c>NAME.GUID.tmp</c>).</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>Calls <paramref name="write"/> with a temporary path next to <paramref name="path"/>, then renames it.</summary>
    public static void Write(string path, Action<string> write)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        string temp = $"{path}.{Guid.NewGuid():N}{TemporarySuffix}";
        try
        {
            write(temp);
            Durable.FlushFile(temp);
            File.Move(temp, path, overwrite: true);
            Durable.FlushDirectory(folder);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Removes the temporary files that writes into <paramref name="folder"/> left behind when they were killed
    /// (<c>NAME.GUID.tmp</c>); only call it while no other writer uses the folder.
    /// </summary>
    public static void RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (string file in Directory.EnumerateFiles(folder, "*" + TemporarySuffix))
            if (IsTemporaryName(Path.GetFileName(file))) File.Delete(file);
    }

    /// <summary>Whether <paramref name="name"/> has the form <c>NAME.GUID.tmp</c> of a temporary file or folder.</summary>
    public static bool IsTemporaryName(string name)
    {
        if (!name.EndsWith(TemporarySuffix, StringComparison.Ordinal)) return false;
        string stem = name[..^TemporarySuffix.Length];
        int dot = stem.LastIndexOf('.');
        return dot > 0 && stem.Length - dot - 1 == 32 && Guid.TryParseExact(stem[(dot + 1)..], "N", out _);
    }
}
