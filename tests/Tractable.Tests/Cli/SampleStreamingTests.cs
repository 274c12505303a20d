using Tractable.Fuzzing;
using Tractable.Models;
using Tractable.Runs;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Cli;

/// <summary>
/// <c>sample</c> writes CSV and WAV output batch by batch as it is drawn: the file holds exactly the in-memory draw,
/// and whole batches depend only on the seed and their place, never on how many samples are drawn.
/// </summary>
[Collection(Support.Sequential.Name)]
public sealed class SampleStreamingTests(TinyRealNvpRun trained) : IClassFixture<TinyRealNvpRun>, IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private string[] SampleCsv(long n, long seed)
    {
        string path = folder.File($"samples-{n}-{seed}.csv");
        (int code, string output) = InProcessCli.Run("sample", "--run", trained.Path, "-n", $"{n}", "--seed", $"{seed}", "--out", path);
        Assert.True(code == 0, output);
        return File.ReadAllLines(path);
    }

    /// <summary>The lines of the CSV file that <see cref="Tractable.Data.CsvTable.Write"/> makes of <paramref name="samples"/> all at once.</summary>
    private string[] WrittenWhole(Tensor samples, string name)
    {
        Tractable.Data.CsvTable.Write(folder.File(name), samples);
        return File.ReadAllLines(folder.File(name));
    }

    [Fact]
    public void TheStreamedCsvHoldsTheInMemoryDrawRowForRow()
    {
        using var scope = NewDisposeScope();
        using DensityModel model = ModelStore.Load(trained.Path);
        ModelKind kind = ModelRegistry.KindOf(model.Config);
        Assert.Equal(10_000, kind.SamplingBatch(model.Config));
        string[] streamed = SampleCsv(25_000, 3);                                // batches of 10,000, 10,000 and 5,000
        Assert.Equal(1 + 25_000, streamed.Length);                              // the header, then a row per sample
        Assert.Equal(WrittenWhole(kind.Draw(model, new SampleRequest { Count = 25_000, Seed = 3 }, CPU).Values, "whole.csv"), streamed);
    }

    [Fact]
    public void WholeBatchesDependOnlyOnTheSeedAndTheirPlace()
    {
        string[] small = SampleCsv(12_000, 5), large = SampleCsv(25_000, 5);
        Assert.Equal(large[..10_001], small[..10_001]);                         // the header and the first batch of both
        Assert.NotEqual(SampleCsv(12_000, 6)[1..10_001], small[1..10_001]);

        // A draw that fits in one batch is the draw of one generator seeded with the seed.
        using var scope = NewDisposeScope();
        using DensityModel model = ModelStore.Load(trained.Path);
        using var generator = new Generator(5);
        using (no_grad()) Assert.Equal(WrittenWhole(model.Sample(100, generator: generator), "one-generator.csv"), SampleCsv(100, 5));
    }

    [Fact]
    public void BatchSeedsAreTheSeedFirstThenDistinct()
    {
        Assert.Equal(42, ModelKind.BatchSeed(42, 0));
        long[] seeds = [.. Enumerable.Range(0, 3).SelectMany(s => Enumerable.Range(0, 1000).Select(i => ModelKind.BatchSeed(s, i)))];
        Assert.Equal(seeds.Length, seeds.Distinct().Count());
        Assert.All(seeds, s => Assert.True(s >= 0));
    }

    [Fact]
    public void AudioClipsAreWrittenBatchByBatchWithTheSameWholeBatches()
    {
        string speech = folder.File("speech");
        SampleFiles.SpeechFolder(speech, files: 4, samples: 1200);
        string run = folder.File("wavenet");
        (int code, string output) = InProcessCli.Run("train", "--model", "wavenet", "--data", "speech:" + speech, "--layers", "1", "--hidden", "4",
            "--crop", "64", "--steps", "2", "--eval-every", "2", "--threads", "1", "--out", run);
        Assert.True(code == 0, output);
        string[] Clips(int n, string name)
        {
            (int c, string o) = InProcessCli.Run("sample", "--run", run, "-n", $"{n}", "--seconds", "0.004", "--seed", "2", "--out", folder.File(name + ".wav"));
            Assert.True(c == 0, o);
            return [.. Enumerable.Range(1, n).Select(i => Convert.ToHexString(File.ReadAllBytes(folder.File($"{name}-{i}.wav"))))];
        }
        string[] seventeen = Clips(17, "a"), sixteen = Clips(16, "b");           // batches of 16 clips
        Assert.Equal(sixteen, seventeen[..16]);
        Assert.False(File.Exists(folder.File("a-18.wav")));
    }
}
