namespace Tractable.Tests.Support;

/// <summary>The checkout the tests run from.</summary>
public static class Repository
{
    /// <summary>The repository's root folder (the one holding Tractable.slnx).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tractable.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("The repository root was not found.");
    }
}
