using System.Text;
using Tractable.Data;
using Tractable.Data.Audio;
using Tractable.Data.Images;
using Tractable.IO;
using Tractable.Models;
using static Tractable.Fuzzing.SampleFiles;

namespace Tractable.Tests.Reliability;

/// <summary>Every reader turns a damaged or hostile file into one <see cref="TractableInputException"/> that names the file and the problem.</summary>
public sealed class HostileDataTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-hostile-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string P(string name) => Path.Combine(folder, name);

    private static T Refused<T>(Action read, params string[] fragments) where T : TractableInputException
    {
        var e = Assert.Throws<T>(read);
        foreach (string f in fragments) Assert.Contains(f, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void NegativeIdxDimensionIsNamed()
    {
        File.WriteAllBytes(P("x-idx3-ubyte"), Idx(2051, [-5, 28, 28], new byte[16]));
        Refused<DataFormatException>(() => IdxFile.Read(P("x-idx3-ubyte"), 2051), "x-idx3-ubyte", "dimension 1", "-5", "positive");
    }

    [Fact]
    public void IdxHeaderLargerThanTheFileIsTruncationNotAnAllocation()
    {
        File.WriteAllBytes(P("big-idx3-ubyte"), Idx(2051, [60000, 28000, 28000], new byte[16]));
        Refused<DataFormatException>(() => IdxFile.Read(P("big-idx3-ubyte"), 2051), "big-idx3-ubyte", "more than");
        File.WriteAllBytes(P("short-idx3-ubyte.gz"), Gzip(Idx(2051, [10, 28, 28], new byte[100])));
        Refused<DataFormatException>(() => IdxFile.Read(P("short-idx3-ubyte.gz"), 2051), "short-idx3-ubyte.gz", "truncated", "of 7840 bytes");
    }

    [Fact]
    public void GzipErrorsNameTheFile()
    {
        File.WriteAllBytes(P("labels-idx1-ubyte.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0x13, 0x37]);
        Refused<DataFormatException>(() => IdxFile.Read(P("labels-idx1-ubyte.gz"), 2049), "labels-idx1-ubyte.gz", "gzip");
        File.WriteAllBytes(P("table.csv.gz"), Encoding.ASCII.GetBytes("1,2\n3,4\n"));
        Refused<DataFormatException>(() => CsvTable.Load(P("table.csv.gz")), "table.csv.gz", "gzip");
    }

    /// <summary>A tiny MNIST folder: 1×1 images, enough of them for the validation split.</summary>
    private string Mnist(int trainImages, int trainLabels, byte label = 3)
    {
        string dir = P("mnist");
        Directory.CreateDirectory(dir);
        void Write(string name, int magic, int[] shape, int count, byte value) =>
            File.WriteAllBytes(Path.Combine(dir, name), Gzip(Idx(magic, shape, Enumerable.Repeat(value, count).ToArray())));
        Write("train-images-idx3-ubyte.gz", 2051, [trainImages, 1, 1], trainImages, 7);
        Write("train-labels-idx1-ubyte.gz", 2049, [trainLabels], trainLabels, label);
        Write("t10k-images-idx3-ubyte.gz", 2051, [4, 1, 1], 4, 7);
        Write("t10k-labels-idx1-ubyte.gz", 2049, [4], 4, 1);
        return dir;
    }

    [Fact]
    public void MnistChecksCountsAndLabelsBeforeAnythingIsTrained()
    {
        Assert.Equal(5001, Tractable.Data.Images.Mnist.Load(Mnist(5001, 5001)).Train.Count + 5000);
        Refused<DataFormatException>(() => Tractable.Data.Images.Mnist.Load(Mnist(5001, 5000)),
            "train-images-idx3-ubyte.gz holds 5001 images but train-labels-idx1-ubyte.gz holds 5000 labels");
        Refused<DataFormatException>(() => Tractable.Data.Images.Mnist.Load(Mnist(5001, 5001, label: 10)), "train-labels-idx1-ubyte.gz", "label 10", "0 to 9");
        Refused<DataFormatException>(() => Tractable.Data.Images.Mnist.Load(Mnist(100, 100)), "100 images", "at least 5001");
    }

    [Fact]
    public void CifarBatchesAreCheckedRecordByRecord()
    {
        File.WriteAllBytes(P("empty.bin"), []);
        Refused<DataFormatException>(() => Cifar10.ReadBatch(P("empty.bin")), "empty.bin", "empty");
        File.WriteAllBytes(P("partial.bin"), new byte[3073 + 10]);
        Refused<DataFormatException>(() => Cifar10.ReadBatch(P("partial.bin")), "partial.bin", "not a whole number");
        byte[] two = new byte[2 * 3073];
        two[3073] = 12;
        File.WriteAllBytes(P("label.bin"), two);
        Refused<DataFormatException>(() => Cifar10.ReadBatch(P("label.bin")), "label.bin", "record 2 has label 12");
        two[3073] = 9;
        File.WriteAllBytes(P("good.bin"), two);
        (var x, var labels) = Cifar10.ReadBatch(P("good.bin"));
        Assert.Equal([2L, 3, 32, 32], x.shape);
        Assert.Equal([0L, 9], labels.data<long>().ToArray());
    }

    [Theory]
    [InlineData("data", "truncated, the data chunk declares 4294967295 bytes")]
    [InlineData("LIST", "truncated LIST chunk, it declares 4294967295 bytes")]
    public void AWavChunkSizeOfFourGigabytesIsTruncationNotOverflow(string chunk, string message)
    {
        byte[] good = WavFile.ToBytes(new WavAudio([1, 2, 3, 4], 8000));
        byte[] bytes = chunk == "data"
            ? good
            : [.. good[..36], .. Encoding.ASCII.GetBytes("LIST"), 0, 0, 0, 0, .. good[36..]];
        bytes[40] = bytes[41] = bytes[42] = bytes[43] = 0xFF;                 // the size of the chunk at byte 36
        Refused<DataFormatException>(() => WavFile.Read(bytes, "big.wav"), "big.wav", message);
    }

    [Fact]
    public void SpeechFilesTooShortToHoldSpeechAreRefused()
    {
        string root = P("speech");
        for (int i = 0; i < 3; i++) WavFile.Write(Path.Combine(root, $"f{i}.wav"), new WavAudio(new float[400], 8000));
        WavFile.Write(Path.Combine(root, "tiny.wav"), new WavAudio(new float[10], 8000));
        Refused<DataFormatException>(() => SpeechDataset.Load(root), "tiny.wav: 10 samples", "at least 160 (20 ms at 8000 Hz)");
        WavFile.Write(Path.Combine(root, "tiny.wav"), new WavAudio([], 8000));
        Refused<DataFormatException>(() => SpeechDataset.Load(root), "tiny.wav: 0 samples");
    }

    [Theory]
    [InlineData("1,2,0\n3,4,-1\n", "row 2, column 3: label -1 is out of range")]
    [InlineData("1,2,0\n3,4,2.5\n", "row 2, column 3: label 2.5 is not an integer")]
    [InlineData("1,2,0\n3,4,1e9\n", "row 2, column 3: label 1000000000 is out of range")]
    [InlineData("1,2,0\n3,1e300,1\n", "row 2, column 2: '1e300' is beyond the range of float32")]
    public void CsvLabelsAreClassIndices(string text, string message)
    {
        File.WriteAllText(P("labels.csv"), text);
        Refused<DataFormatException>(() => CsvTable.Load(P("labels.csv"), LabelColumn.Last), "labels.csv: " + message);
    }

    [Fact]
    public void ConstantCsvColumnsAreRefusedOrDroppedOnRequest()
    {
        string rows = string.Join("\n", Enumerable.Range(0, 20).Select(i => $"{i},5,{i * i},0"));
        File.WriteAllText(P("constant.csv"), rows);
        Refused<DataFormatException>(() => DatasetCatalog.Load("csv:" + P("constant.csv")), "constant.csv: columns 2, 4 hold one value in every row", "DropConstantColumns");
        DataSplits d = DatasetCatalog.Load("csv:" + P("constant.csv"), new DataOptions { DropConstantColumns = true });
        Assert.Equal([2L], d.EventShape);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("{ \"model\": \"realnvp\", \"couplings\": ", "not a valid ModelConfig")]
    [InlineData("{ \"couplings\": 3 }", "not a valid ModelConfig")]
    [InlineData("{ \"model\": \"nonsense\" }", "not a valid ModelConfig")]
    [InlineData("{ \"model\": \"realnvp\", \"couplings\": 1e40 }", "not a valid ModelConfig")]
    [InlineData("{ \"model\": \"realnvp\", \"activation\": null }", "not a valid ModelConfig")]
    [InlineData("null", "the JSON document is null")]
    public void MalformedJsonIsACorruptFileNamingIt(string text, string message)
    {
        File.WriteAllText(P("model.json"), text);
        var e = Refused<CorruptFileException>(() => JsonFiles.Read<ModelConfig>(P("model.json")), P("model.json"), message);
        Assert.Equal(P("model.json"), e.FilePath);
    }
}
