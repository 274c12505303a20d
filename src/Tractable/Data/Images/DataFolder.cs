namespace Tractable.Data.Images;

/// <summary>Finds a dataset's files under a data directory (the folder itself or its named sub-folder), with a clear error.</summary>
public static class DataFolder
{
    /// <summary>The environment variable that names the data directory when none is given.</summary>
    public const string EnvironmentVariable = "TRACTABLE_DATA";

    /// <summary>The data directory when none is given: <see cref="EnvironmentVariable"/>, else the working directory.</summary>
    public static string Default => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } set ? set : Directory.GetCurrentDirectory();

    /// <summary>The folder holding <paramref name="files"/>: <paramref name="root"/> or <c>root/subfolder</c>.</summary>
    public static string Locate(string? root, string subfolder, params string[] files)
    {
        root ??= Default;
        foreach (string candidate in new[] { root, Path.Combine(root, subfolder) })
            if (files.All(f => File.Exists(Path.Combine(candidate, f))))
                return candidate;
        throw new FileNotFoundException(
            $"{subfolder} not found under '{Path.GetFullPath(root)}': expected {string.Join(", ", files)} in it or in its '{subfolder}' folder (give the folder that holds them as the data directory).");
    }
}
