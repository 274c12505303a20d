using Tractable.Data;
using Tractable.Distributed;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Models.Pixel;
using Tractable.Runs;
using Tractable.Tests.Support;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Tests.Distributed;

/// <summary>The pieces of data-parallel training that need no MPI: shares of a batch, sums of moments, buckets, one process's noise on every rank.</summary>
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

    public static TheoryData<string> NoisyModels => ["glow", "pixelcnn++ with dropout"];

    [Theory]
    [MemberData(nameof(NoisyModels))]
    public void EachRankDrawsTheNoiseOneProcessDrawsForItsShareOfTheBatch(string name)
    {
        // Dequantization noise (Glow) and dropout masks (PixelCNN++) of a global batch of 7 shared out among 3 ranks.
        DataSplits data = TinyImages.Splits();
        manual_seed(1);
        using DensityModel model = name == "glow"
            ? new GlowConfig { ImageShape = [1, 4, 4], Levels = 1, StepsPerLevel = 1, HiddenChannels = 4 }.Build()
            : new PixelCnnPlusPlusConfig { Height = 4, Width = 4, Filters = 4, BlocksPerResolution = 1, Components = 1, Levels = 256, Dropout = 0.5 }.Build();
        var alone = new MaximumLikelihood(data, CPU);
        using (var g = new Generator(11)) alone.Initialize(model, g);
        byte[] start = alone.Randomness.GetState();
        using var _ = no_grad();
        using var batches = new Generator();

        // One process: the per-example log-densities of the global batch MaximumLikelihood.Loss draws, with its noise.
        Tensor LogProbs(byte[] state)
        {
            alone.Randomness.SetState(state);
            using var noise = alone.Randomness.Activate();
            return model.LogProb(data.Train.X.index_select(0, randint(0, data.Train.Count, [7], generator: batches.manual_seed(3))));
        }
        Tensor whole = LogProbs(start);
        byte[] end = alone.Randomness.GetState();
        // The same draws on the same rows: only the batch composition of the convolutions' sums may differ.
        double tolerance = 1e-6 * Math.Abs(whole.sum().item<float>());

        var gaps = new List<float>();
        for (int rank = 0; rank < 3; rank++)
        {
            var share = new ShardedMaximumLikelihood(data, CPU, new RankAlone(rank, 3));
            Assert.Same(share.Randomness, ((ITrainingObjective)share).Randomness);             // what a checkpoint saves
            share.Randomness.SetState(start);                                                  // what rank 0's broadcast gives
            float part = share.Loss(model, 7, 0, batches.manual_seed(3)).item<float>() * 7;
            Assert.Equal(end, share.Randomness.GetState());                                    // every rank ends where one process does
            BatchShard rows = BatchShard.Of(7, rank, 3);
            float expected = -whole.narrow(0, rows.Start, rows.Count).sum().item<float>();
            Assert.Equal(expected, part, tolerance);
            gaps.Add(Math.Abs(expected + LogProbs(end).narrow(0, rows.Start, rows.Count).sum().item<float>()));
        }
        // Other noise moves some rank's part by far more than the tolerance, so the checks above could fail.
        Assert.True(gaps.Max() > 10 * tolerance, $"largest change {gaps.Max()}, tolerance {tolerance}");
    }

    [Fact]
    public void EvaluatedSharesOfASplitGetTheNoiseOfTheWholeSplit()
    {
        Split test = TinyImages.Splits().Test;
        using DensityModel model = new GlowConfig { ImageShape = [1, 4, 4], Levels = 1, StepsPerLevel = 1, HiddenChannels = 4 }.Build();
        MeanEstimate whole = Evaluator.NegativeLogLikelihood(model, test, CPU, batchSize: 5);
        MeanEstimate Combined(Func<BatchShard, Split> take)
        {
            MomentSums sum = default;
            for (int rank = 0; rank < 3; rank++)
            {
                MomentSums part = MomentSums.Of(Evaluator.NegativeLogLikelihood(model, take(BatchShard.Of(test.Count, rank, 3)), CPU, batchSize: 4));
                sum = new MomentSums(sum.Count + part.Count, sum.Sum + part.Sum, sum.SumSquares + part.SumSquares);
            }
            return sum.ToEstimate();
        }
        MeanEstimate shared = Combined(shard => shard.Take(test));
        Assert.Equal(whole.Count, shared.Count);
        Assert.Equal(whole.Mean, shared.Mean, 1e-6 * Math.Abs(whole.Mean));
        Assert.Equal(whole.StandardError, shared.StandardError, 1e-3 * whole.StandardError);
        // Shares scored as splits of their own (noise from the stream's start) differ: the check above could fail.
        MeanEstimate unplaced = Combined(shard => new Split(shard.Take(test).X));
        Assert.True(Math.Abs(unplaced.Mean - whole.Mean) > 1e-4 * Math.Abs(whole.Mean), $"{unplaced.Mean} against {whole.Mean}");
    }

    [Fact]
    public void WithoutALauncherTheProcessTrainsAlone()
    {
        Assert.Null(Environment.GetEnvironmentVariable("PMI_SIZE"));
        Assert.Same(SingleProcess.Instance, ProcessGroup.JoinFromEnvironment());
        Assert.Equal([5.0, 7.0], SingleProcess.Instance.Sum(5, 7));
    }

    private static Split Rows(Generator g, long n) => new(randn([n, 2], generator: g));

    /// <summary>Rank <paramref name="rank"/> of a job whose other ranks add nothing: its sums are its own part.</summary>
    private sealed class RankAlone(int rank, int size) : ICollective
    {
        public int Rank => rank;

        public int Size => size;

        public void SumInPlace(Tensor buffer) { }

        public void BroadcastInPlace(Tensor buffer) { }

        public void Abort(int exitCode) => throw new InvalidOperationException($"Aborted with {exitCode}.");
    }
}
