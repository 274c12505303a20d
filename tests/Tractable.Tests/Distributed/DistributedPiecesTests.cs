using Tractable.Data;
using Tractable.Distributed;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Runs;
using Tractable.Tests.Support;
using static TorchSharp.torch;

namespace Tractable.Tests.Distributed;

/// <summary>The pieces of data-parallel training that need no MPI: shares of a batch, sums of moments, buckets, noise in step.</summary>
[Collection(Sequential.Name)]
public sealed class DistributedPiecesTests
{
    [Theory]
    [InlineData(64, 2)]
    [InlineData(63, 2)]
    [InlineData(10, 3)]
    [InlineData(5, 5)]
    [InlineData(1000, 7)]
    public void ShardsCoverEveryRowOnceInOrderAndDifferByAtMostOne(long total, int size)
    {
        BatchShard[] shards = [.. Enumerable.Range(0, size).Select(r => BatchShard.Of(total, r, size))];
        Assert.Equal(0, shards[0].Start);
        for (int r = 1; r < size; r++) Assert.Equal(shards[r - 1].End, shards[r].Start);
        Assert.Equal(total, shards[^1].End);
        Assert.True(shards.Max(s => s.Count) - shards.Min(s => s.Count) <= 1);
        Assert.All(shards, s => Assert.Equal(total - s.End, s.After));
    }

    [Fact]
    public void MomentSumsOfSharesGiveTheWholeSplitsMeanAndStandardError()
    {
        using var g = new Generator(4);
        var data = new DataSplits("numbers", Rows(g, 20), Rows(g, 20), Rows(g, 1001));
        using DensityModel model = ModelRegistry.Find("realnvp").CreateConfig(new DataShape([2]), new Dictionary<string, string>()).Build();
        MeanEstimate whole = Evaluator.NegativeLogLikelihood(model, data.Test, CPU, batchSize: 64);
        MomentSums sum = default;
        for (int rank = 0; rank < 3; rank++)
        {
            MomentSums part = MomentSums.Of(Evaluator.NegativeLogLikelihood(model, BatchShard.Of(data.Test.Count, rank, 3).Take(data.Test), CPU));
            sum = new MomentSums(sum.Count + part.Count, sum.Sum + part.Sum, sum.SumSquares + part.SumSquares);
        }
        MeanEstimate combined = sum.ToEstimate();
        Assert.Equal(whole.Count, combined.Count);
        Assert.Equal(whole.Mean, combined.Mean, 1e-9);
        Assert.Equal(whole.StandardError, combined.StandardError, 1e-9);
        Assert.True(combined.StandardError > 0);
    }

    [Fact]
    public void BucketsCarryEveryTensorThroughTheOperationAndBack()
    {
        Tensor[] tensors = [ones(3, 4), arange(10, dtype: float64), full(5, 2f), ones(2, 2, 2).transpose(0, 2), full(7, 3L)];
        using var buckets = new FlatBuckets(tensors, bucketBytes: 64);
        Assert.True(buckets.Count >= 4, $"{buckets.Count} buckets");
        Assert.All(buckets.Bytes, b => Assert.True(b <= 80));
        Tensor[] before = [.. tensors.Select(t => t.clone())];
        int calls = 0;
        buckets.Run([tensors[0], tensors[1], null, tensors[3], tensors[4]], buffer =>
        {
            calls++;
            buffer.mul_(2);
        });
        Assert.Equal(buckets.Count, calls);
        foreach (int i in new[] { 0, 1, 3, 4 }) Assert.True(tensors[i].equal(before[i] * 2).all().item<bool>(), $"tensor {i}");
        Assert.True(tensors[2].equal(before[2]).all().item<bool>());
    }

    [Fact]
    public void NoiseOfEachShareIsTheDrawOneProcessMakesForItsRows()
    {
        var shape = new DataShape([1, 4, 4], 0, 256);
        using DensityModel model = ModelRegistry.Find("glow")
            .CreateConfig(shape, new Dictionary<string, string> { ["layers"] = "1", ["hidden"] = "4", ["levels"] = "1" }).Build();
        Assert.Equal(16, RandomLockstep.DrawsPerExample(model));
        using var g = new Generator(9);
        Tensor x = randint(0, 256, [7, 1, 4, 4], generator: g).to(float32);
        using var _ = no_grad();
        manual_seed(21);
        Tensor whole = model.LogProb(x);
        Tensor after = rand(3);
        var parts = new List<Tensor>();
        for (int rank = 0; rank < 3; rank++)
        {
            manual_seed(21);
            BatchShard shard = BatchShard.Of(7, rank, 3);
            parts.Add(RandomLockstep.OnShard(model, shard, CPU, () => model.LogProb(x.narrow(0, shard.Start, shard.Count))));
            // Every rank's generator ends where one process's does.
            Assert.True(rand(3).equal(after).all().item<bool>(), $"rank {rank}");
        }
        Assert.True(cat(parts).allclose(whole, rtol: 1e-5, atol: 1e-3));
        manual_seed(22);
        Assert.False(model.LogProb(x).allclose(whole, rtol: 1e-5, atol: 1e-3), "the noise changes the log-density, so the check above could fail");
    }

    [Fact]
    public void WithoutALauncherTheProcessTrainsAlone()
    {
        Assert.Null(Environment.GetEnvironmentVariable("PMI_SIZE"));
        Assert.Same(SingleProcess.Instance, ProcessGroup.JoinFromEnvironment());
        Assert.Equal([5.0, 7.0], SingleProcess.Instance.Sum(5, 7));
    }

    private static Split Rows(Generator g, long n) => new(randn([n, 2], generator: g));
}
