namespace Tractable.IO;

/// <summary>Writes files so that a reader never sees a half-written one: write beside, then rename over.</summary>
public static class AtomicFile
{
    /// <summary>Calls <paramref name="write"/> with a temporary path next to <paramref name="path"/>, then renames it.</summary>
    public static void Write(string path, Action<string> write)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
