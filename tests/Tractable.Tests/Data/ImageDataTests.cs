using Tractable.Data;
using Tractable.Data.Images;
using static TorchSharp.torch;

namespace Tractable.Tests.Data;

/// <summary>The image readers against the known answers of shared/data/README.md.</summary>
public sealed class ImageDataTests
{
    private static string Root => CsvTableTests.SharedData;

    [SkippableSharedDataFact]
    public void MnistMatchesItsKnownAnswers()
    {
        DataSplits d = DatasetCatalog.Load("mnist", new DataOptions { DataDirectory = Root });
        Assert.Equal([1L, 28L, 28L], d.EventShape);
        Assert.Equal(55_000, d.Train.Count);
        Assert.Equal(5_000, d.Validation.Count);
        Assert.Equal(10_000, d.Test.Count);
        Assert.Equal(256, d.Levels);
        Assert.Equal(new long[] { 5, 0, 4, 1, 9, 2, 1, 3, 1, 4 }, d.Train.Labels!.narrow(0, 0, 10).data<long>().ToArray());
        Tensor all = cat([d.Train.Labels, d.Validation.Labels!]);
        Assert.Equal(new long[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }, all.bincount(null, 0).data<long>().ToArray());
        Assert.Equal(255f, d.Train.X.max().item<float>());
        Assert.Equal(0f, d.Train.X.min().item<float>());
    }

    [SkippableSharedDataFact]
    public void BinarizedMnistIsASeededBernoulliDraw()
    {
        var options = new DataOptions { DataDirectory = Root, Seed = 1 };
        DataSplits a = DatasetCatalog.Load("mnist-binarized", options), b = DatasetCatalog.Load("mnist-binarized", options);
        Assert.Equal(2, a.Levels);
        Assert.True(a.Test.X.eq(b.Test.X).all().item<bool>());
        Assert.Equal(2, a.Test.X.unique().Item1.numel());
        // The mean pixel equals the mean intensity / 255 (about 0.13 for MNIST).
        Assert.InRange(a.Train.X.mean().item<float>(), 0.12, 0.14);
    }

    [SkippableSharedDataFact]
    public void CifarRecordsHaveLabelsByIndex()
    {
        DataSplits d = DatasetCatalog.Load("cifar10", new DataOptions { DataDirectory = Root });
        Assert.Equal([3L, 32L, 32L], d.EventShape);
        Assert.Equal(9_000, d.Train.Count);
        Assert.Equal(10_000, d.Test.Count);
        Assert.True(d.Test.Labels!.eq(arange(10_000) % 10).all().item<bool>());
    }

    [Fact]
    public void MissingFolderNamesTheExpectedFiles()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Mnist.Load("/nonexistent"));
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
        Assert.Contains("data directory", e.Message);
    }
}
