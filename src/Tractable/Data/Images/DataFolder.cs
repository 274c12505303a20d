namespace Tractable.Data.Images;

/// <summary>Finds a dataset's files under <c>--data-dir</c> (the folder itself or its named sub-folder), with a clear error.</summary>
public static class DataFolder
{
    /// <summary>The default data folder: <c>../shared/data</c> from the working directory, as laid out for this repository.</summary>
    public const string Default = "../shared/data";

    /// <summary>The folder holding <paramref name="files"/>: <paramref name="root"/> or <c>root/subfolder</c>.</summary>
    public static string Locate(string? root, string subfolder, params string[] files)
    {
        root ??= Default;
        foreach (string candidate in new[] { root, Path.Combine(root, subfolder) })
            if (files.All(f => File.Exists(Path.Combine(candidate, f))))
                return candidate;
        throw new FileNotFoundException(
            $"{subfolder} not found under '{Path.GetFullPath(root)}': expected {string.Join(", ", files)} in it or in its '{subfolder}' folder (pass --data-dir).");
    }
}
