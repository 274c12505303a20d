using System.Text.Json;
using Tractable.Cli;
using Tractable.Tests.Support;

namespace Tractable.Tests.Cli;

/// <summary><c>--eval-limit</c>: validation and test figures on the first N held-out examples, recorded with the run.</summary>
[Collection(Support.Sequential.Name)]
public sealed class HeldOutLimitTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private static long Examples(string metricsFolder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(metricsFolder, "metrics.json"))).RootElement.GetProperty("num_examples").GetInt64();

    [Fact]
    public void TrainAndEvalScoreTheFirstNHeldOutExamples()
    {
        string run = folder.File("run");
        Assert.Equal(0, TractableCli.Run(["train", "--model", "realnvp", "--data", "moons", "--layers", "2", "--hidden", "8", "--steps", "10",
            "--eval-every", "5", "--eval-limit", "120", "--threads", "1", "--out", run]));
        Assert.Equal(120, Examples(run));
        Assert.Contains("\"held_out_limit\": 120", File.ReadAllText(Path.Combine(run, "run.json")), StringComparison.OrdinalIgnoreCase);

        // eval keeps the run's limit, and may set another.
        Assert.Equal(0, TractableCli.Run(["eval", "--run", run, "--split", "validation", "--out", folder.File("a")]));
        Assert.Equal(120, Examples(folder.File("a")));
        Assert.Equal(0, TractableCli.Run(["eval", "--run", run, "--eval-limit", "7", "--out", folder.File("b")]));
        Assert.Equal(7, Examples(folder.File("b")));
        Assert.Equal(0, TractableCli.Run(["eval", "--run", run, "--eval-limit", "100000", "--out", folder.File("c")]));
        Assert.Equal(10_000, Examples(folder.File("c")));
    }

    [Theory]
    [InlineData("moons", "0")]
    [InlineData("moons", "-4")]
    [InlineData("u1", "10")]
    public void ALimitThatCannotApplyIsRefusedBeforeAnythingIsWritten(string data, string limit)
    {
        string run = folder.File($"bad-{data}{limit}");
        string model = data == "u1" ? "planar" : "realnvp";
        Assert.Equal(2, TractableCli.Run(["train", "--model", model, "--data", data, "--steps", "2", "--eval-limit", limit, "--out", run]));
        Assert.False(Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any());
    }
}
