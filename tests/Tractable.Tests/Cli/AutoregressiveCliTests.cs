using System.Text.Json;
using Tractable.Cli;
using Tractable.Tests.Data;
using Tractable.Tests.Support;

namespace Tractable.Tests.Cli;

/// <summary>MADE, MADE MoG, MAF, MAF MoG and IAF from the command line, and class-conditional sample grids.</summary>
[Collection(Support.Sequential.Name)]
public sealed class AutoregressiveCliTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private string P(string name) => folder.File(name);

    private static int Run(params string[] args) => TractableCli.Run(args);

    [Fact]
    public void GridWithAnIncompleteLastRowHasBlankCells()
    {
        using var _ = TorchSharp.torch.NewDisposeScope();
        Tractable.Cli.Plotting.Png.SaveGrid(TorchSharp.torch.zeros(8, 1, 5, 4), P("grid8.png"), perRow: 3);
        Assert.Equal((3 * (4 + 2) + 2, 3 * (5 + 2) + 2), PngFile.Size(P("grid8.png")));   // 3 × 3 cells, the ninth blank
    }

    [Theory]
    [InlineData("made")]
    [InlineData("made-mog")]
    [InlineData("maf")]
    [InlineData("maf-mog")]
    [InlineData("iaf")]
    public void TrainsEvaluatesAndSamplesOn2DData(string model)
    {
        string run = P(model);
        string[] size = model switch
        {
            "made" => [],
            "made-mog" => ["--components", "3"],
            "maf-mog" => ["--components", "3", "--layers", "2"],
            _ => ["--layers", "2"],
        };
        Assert.Equal(0, Run(["train", "--model", model, "--data", "8gaussians", "--out", run, "--hidden", "16", .. size,
            "--steps", "20", "--eval-every", "10", "--threads", "1"]));
        JsonElement m = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json"))).RootElement;
        Assert.Equal(model, m.GetProperty("model").GetString());
        Assert.True(double.IsFinite(m.GetProperty("nll_nats").GetDouble()));
        Assert.Equal(0, Run("sample", "--run", run, "-n", "50", "--out", P(model + ".csv")));
        Assert.Equal(1 + 50, File.ReadAllLines(P(model + ".csv")).Length);     // a header, then the samples
        Assert.Equal(2, Run("sample", "--run", run, "-n", "5", "--class", "1", "--out", P("x.csv")));   // not conditional
    }

    [Fact]
    public void ConditionalOnUnlabelledDataIsAClearError() =>
        Assert.Equal(2, Run("train", "--model", "maf", "--data", "moons", "--conditional", "true", "--out", P("c"), "--threads", "1"));

    [SkippableSharedDataFact]
    public void ClassConditionalMnistGridHasOneRowPerClass()
    {
        string run = P("cmaf");
        Assert.Equal(0, Run("train", "--model", "maf", "--data", "mnist", "--data-dir", CsvTableTests.SharedData, "--conditional", "true",
            "--layers", "1", "--hidden", "16", "--hidden-layers", "1", "--steps", "2", "--batch-size", "8", "--eval-every", "2",
            "--out", run, "--threads", "1"));
        JsonElement m = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json"))).RootElement;
        Assert.True(m.GetProperty("bits_per_dim").GetDouble() is > 0 and < 1000);

        Assert.Equal(0, Run("sample", "--run", run, "-n", "20", "--scale", "1", "--out", P("grid.png")));
        Assert.Equal((2 * 30 + 2, 10 * 30 + 2), PngFile.Size(P("grid.png")));          // 10 rows (classes) of 2 digits, 28 px + padding
        Assert.Equal(0, Run("sample", "--run", run, "-n", "4", "--class", "7", "--out", P("sevens.png")));
        Assert.Equal((2 * 116 + 4, 2 * 116 + 4), PngFile.Size(P("sevens.png")));       // by default 4 screen pixels per image pixel: 112 px + 4 px padding
        Assert.Equal(2, Run("sample", "--run", run, "-n", "4", "--scale", "0", "--out", P("bad.png")));
        Assert.Equal(2, Run("sample", "--run", run, "-n", "4", "--class", "10", "--out", P("bad.png")));
    }
}
