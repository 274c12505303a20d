using Tractable.Data;
using Tractable.Data.Images;
using Tractable.Tests.Support;
using static Tractable.Fuzzing.SampleFiles;

namespace Tractable.Tests.Data;

/// <summary>Folders of IDX files in MNIST's layout under their own name (<c>idx:FOLDER</c>), such as Fashion-MNIST.</summary>
public sealed class IdxFolderTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>
    /// <paramref name="train"/> and 5 test images of 3 rows × 2 columns, pixel value = 6 × index + place; labels index mod 4.
    /// The training files are written plain, the test files gzipped.
    /// </summary>
    private void WriteFolder(int train, int trainLabels = -1)
    {
        foreach (var (prefix, count, gz) in new[] { ("train", train, false), ("t10k", 5, true) })
        {
            byte[] pixels = Enumerable.Range(0, count * 6).Select(i => (byte)i).ToArray();
            int labels = prefix == "train" && trainLabels >= 0 ? trainLabels : count;
            byte[] Maybe(byte[] b) => gz ? Gzip(b) : b;
            File.WriteAllBytes(folder.File($"{prefix}-images-idx3-ubyte{(gz ? ".gz" : "")}"), Maybe(Idx(2051, [count, 3, 2], pixels)));
            File.WriteAllBytes(folder.File($"{prefix}-labels-idx1-ubyte{(gz ? ".gz" : "")}"), Maybe(Idx(2049, [labels], Enumerable.Range(0, labels).Select(i => (byte)(i % 4)).ToArray())));
        }
    }

    [Fact]
    public void AnIdxFolderLoadsUnderItsOwnName()
    {
        WriteFolder(train: 24);
        DataSplits d = DatasetCatalog.Load(IdxFolder.Prefix + folder.Path);
        Assert.Equal(IdxFolder.Prefix + folder.Path, d.Name);
        Assert.DoesNotContain("mnist", d.Name);
        Assert.Equal([1L, 3, 2], d.EventShape);
        Assert.Equal((22L, 2L, 5L), (d.Train.Count, d.Validation.Count, d.Test.Count));  // the last twelfth validates
        Assert.Equal(4, d.NumClasses);
        Assert.Equal(256, d.Levels);
        Assert.True(DatasetCatalog.IsDiscrete(IdxFolder.Prefix + folder.Path));
        // The first validation image is image 22: values 132 … 137, row by row; its label is 22 mod 4.
        Assert.Equal(Enumerable.Range(132, 6).Select(v => (float)v), d.Validation.X[0].flatten().data<float>().ToArray());
        Assert.Equal(2L, d.Validation.Labels![0].item<long>());
    }

    [Fact]
    public void MissingAndMismatchedFilesAreNamed()
    {
        Assert.Throws<DirectoryNotFoundException>(() => IdxFolder.Load(folder.File("absent")));
        var missing = Assert.Throws<FileNotFoundException>(() => IdxFolder.Load(folder.Path));
        Assert.Contains("train-images-idx3-ubyte (or train-images-idx3-ubyte.gz) not found", missing.Message);
        WriteFolder(train: 24, trainLabels: 23);
        var e = Assert.Throws<DataFormatException>(() => IdxFolder.Load(folder.Path));
        Assert.Contains("train-images-idx3-ubyte holds 24 images but train-labels-idx1-ubyte holds 23 labels", e.Message);
    }
}
