namespace Tractable.Tests.Docs;

/// <summary>The README's library section is the sample program that CI builds and runs against the packed library.</summary>
public sealed class ReadmeSampleTests
{
    private static string Repository => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    [Fact]
    public void TheLibrarySectionShowsTheSampleProgramVerbatim()
    {
        string sample = File.ReadAllText(Path.Combine(Repository, "samples/TrainOwnData/Program.cs")).ReplaceLineEndings("\n");
        int helper = sample.IndexOf("// Stands in for your own loader", StringComparison.Ordinal);
        Assert.True(helper > 0, "the sample's data helper starts with '// Stands in for your own loader'");
        string shown = sample[..helper].TrimEnd('\n') + "\n";

        string readme = File.ReadAllText(Path.Combine(Repository, "README.md")).ReplaceLineEndings("\n");
        int section = readme.IndexOf("\n## The library\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has a '## The library' section");
        int open = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int close = readme.IndexOf("```\n", open, StringComparison.Ordinal);
        Assert.Equal(shown, readme[open..close]);
    }
}
