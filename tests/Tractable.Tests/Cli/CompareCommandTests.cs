using Tractable.Cli;
using Tractable.Tests.Support;

namespace Tractable.Tests.Cli;

/// <summary><c>tractable compare</c>: the test figures of several runs against a model option, as a table and a chart.</summary>
[Collection(Support.Sequential.Name)]
public sealed class CompareCommandTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private void Train(string name, string model, int layers) =>
        Assert.Equal(0, TractableCli.Run(["train", "--model", model, "--data", "moons", "--layers", $"{layers}", "--hidden", "8", "--steps", "4",
            "--eval-every", "4", "--eval-limit", "50", "--threads", "1", "--out", folder.File(Path.Combine("sweep", name))]));

    [Fact]
    public void ASweepFolderGivesOneRowPerRunAndAChart()
    {
        Train("realnvp-1", "realnvp", 1);
        Train("realnvp-3", "realnvp", 3);
        Train("maf-2", "maf", 2);
        Directory.CreateDirectory(folder.File(Path.Combine("sweep", "unfinished")));
        int code = 0;
        string table = ConsoleCapture.Of(() => code = TractableCli.Run(["compare", "--run", folder.File("sweep"), "--x", "layers", "--out", folder.File("sweep.png")]));
        Assert.Equal(0, code);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(folder.File("sweep.png")).Take(4).ToArray());
        foreach (string run in new[] { "realnvp-1", "realnvp-3", "maf-2" }) Assert.Contains(run, table);
        Assert.DoesNotContain("unfinished", table);
        Assert.Matches(@"\d+\.\d\d ± \d+\.\d\d", table);
    }

    [Fact]
    public void AnOptionTheModelLacksOrAMissingFigureIsAUsageError()
    {
        Train("realnvp-1", "realnvp", 1);
        string sweep = folder.File("sweep");
        Assert.Equal(2, TractableCli.Run(["compare", "--run", sweep, "--x", "flow-steps"]));
        Assert.Equal(2, TractableCli.Run(["compare", "--run", sweep, "--x", "layers", "--metrics", "elbo_nats"]));
        Assert.Equal(2, TractableCli.Run(["compare", "--run", folder.File("nothing-here"), "--x", "layers"]));
    }
}
