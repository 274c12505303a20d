using Tractable.Data;
using Tractable.Data.Arrays;
using Tractable.Tests.Support;
using static TorchSharp.torch;
using static Tractable.Fuzzing.SampleFiles;

namespace Tractable.Tests.Data;

/// <summary>NumPy <c>.npy</c> files (<c>npy:FILE</c>), written here byte by byte as NumPy writes them.</summary>
public sealed class NpyDatasetTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private string Write(string name, byte[] bytes)
    {
        File.WriteAllBytes(folder.File(name), bytes);
        return folder.File(name);
    }

    private static Tensor AllX(DataSplits d) => cat([d.Train.X, d.Validation.X, d.Test.X]);

    /// <summary>The rows of <paramref name="x"/> <c>[N, …]</c> in the order of their first value (the splits shuffle them).</summary>
    private static Tensor ByFirstValue(Tensor x) => x.index_select(0, x.flatten(1)[.., 0].argsort());

    [Fact]
    public void ByteArraysAreImagesInEveryLayout()
    {
        // 10 images of 2 x 4 pixels, 3 channels: value = 10 n + 10 c + 4 y + x, written channels last and channels first.
        byte[] Bytes(Func<int, int, int, int, int> index)
        {
            var b = new byte[10 * 3 * 2 * 4];
            for (int n = 0; n < 10; n++) for (int c = 0; c < 3; c++) for (int y = 0; y < 2; y++) for (int x = 0; x < 4; x++)
                b[index(n, c, y, x)] = (byte)(10 * n + 10 * c + 4 * y + x);
            return b;
        }
        Tensor expected = tensor(Bytes((n, c, y, x) => ((n * 3 + c) * 2 + y) * 4 + x), [10, 3, 2, 4], dtype: uint8).to(float32);
        string last = Write("nhwc.npy", Npy(Bytes((n, c, y, x) => ((n * 2 + y) * 4 + x) * 3 + c), 10, 2, 4, 3));
        string first = Write("nchw.npy", Npy(Bytes((n, c, y, x) => ((n * 3 + c) * 2 + y) * 4 + x), 10, 3, 2, 4));
        foreach (string path in new[] { last, first })
        {
            DataSplits d = DatasetCatalog.Load(NpyDataset.Prefix + path);
            Assert.Equal(NpyDataset.Prefix + path, d.Name);
            Assert.Equal([3L, 2, 4], d.EventShape);
            Assert.Equal(256, d.Levels);
            Assert.False(d.StandardizeByDefault);
            Assert.True(ByFirstValue(AllX(d)).eq(ByFirstValue(expected)).all().item<bool>(), Path.GetFileName(path));
            Assert.True(DatasetCatalog.IsDiscrete(NpyDataset.Prefix + path));
        }
        DataSplits grey = NpyDataset.Load(Write("grey.npy", Npy(Enumerable.Range(0, 60).Select(i => (byte)i).ToArray(), 10, 2, 3)));
        Assert.Equal([1L, 2, 3], grey.EventShape);
    }

    [Fact]
    public void FloatArraysAreTablesSplitAsTheSameCsvTableIs()
    {
        double[] values = Enumerable.Range(0, 40 * 3).Select(i => Math.Round(Math.Sin(i) * 100, 3)).ToArray();
        File.WriteAllLines(folder.File("t.csv"), Enumerable.Range(0, 40).Select(r => string.Join(",", values.Skip(3 * r).Take(3).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        var options = new DataOptions { Seed = 5, CsvLabels = LabelColumn.None };
        DataSplits csv = DatasetCatalog.Load("csv:" + folder.File("t.csv"), options);
        foreach (string path in new[] { Write("t64.npy", Npy(values, 40, 3)), Write("t32.npy", Npy(values.Select(v => (float)v).ToArray(), 40, 3)) })
        {
            DataSplits npy = DatasetCatalog.Load(NpyDataset.Prefix + path, options);
            Assert.Null(npy.Levels);
            Assert.True(npy.StandardizeByDefault);
            Assert.False(DatasetCatalog.IsDiscrete(NpyDataset.Prefix + path));
            foreach (SplitName split in Enum.GetValues<SplitName>())
                Assert.True(npy.Get(split).X.eq(csv.Get(split).X).all().item<bool>(), $"{Path.GetFileName(path)}: {split} differs from the CSV table's");
        }
    }

    [Fact]
    public void ASiblingLabelsFileLabelsTheExamples()
    {
        string path = Write("digits.npy", Npy(Enumerable.Range(0, 12 * 4).Select(i => (float)i).ToArray(), 12, 4));
        Write("digits.labels.npy", Npy(Enumerable.Range(0, 12).Select(i => (long)(i % 3)).ToArray(), 12));
        Assert.Equal(folder.File("digits.labels.npy"), NpyDataset.LabelsFileOf(path));
        DataSplits d = NpyDataset.Load(path);
        Assert.Equal(3, d.NumClasses);
        // Each row keeps its own label: row r starts at 4 r and has label r mod 3.
        foreach (Split s in new[] { d.Train, d.Validation, d.Test })
            for (int i = 0; i < s.Count; i++)
                Assert.Equal((long)(s.X[i, 0].item<float>() / 4) % 3, s.Labels![i].item<long>());

        Write("digits.labels.npy", Npy(Enumerable.Range(0, 11).Select(i => (long)i).ToArray(), 11));
        Refused(path, "digits.labels.npy: [11] labels for 12 examples");
        Write("digits.labels.npy", Npy([.. Enumerable.Repeat(0L, 11), -1L], 12));
        Refused(path, "digits.labels.npy: label -1 at index 11");
        Write("digits.labels.npy", Npy(new float[12], 12));
        Refused(path, "digits.labels.npy: labels must be integers");
    }

    [Fact]
    public void VersionTwoHeadersAreRead()
    {
        string path = Write("v2.npy", Npy("<f4", [10, 2], System.Runtime.InteropServices.MemoryMarshal.AsBytes(Enumerable.Range(0, 20).Select(i => (float)i).ToArray().AsSpan()).ToArray(), version: 2));
        Assert.Equal([2L], NpyDataset.Load(path).EventShape);
    }

    public static TheoryData<string, byte[], string> BadFiles() => new()
    {
        { "fortran.npy", Npy("<f8", [10, 2], new byte[160], fortranOrder: true), "fortran.npy: Fortran (column-major) order" },
        { "big.npy", Npy(">f4", [10, 2], new byte[80]), "big.npy: big-endian data ('>f4')" },
        { "object.npy", Npy("|O", [10], new byte[80]), "object.npy: an object array" },
        { "int16.npy", Npy("<i2", [10, 2], new byte[40]), "int16.npy: dtype '<i2' is not read" },
        { "ints.npy", Npy(new long[20], 10, 2), "ints.npy: int64 data is not read as a dataset" },
        { "cube.npy", Npy(new float[40], 10, 2, 2), "cube.npy: float arrays are tables [N, D], not [10, 2, 2]" },
        { "flat.npy", Npy(new byte[20], 10, 2), "flat.npy: uint8 arrays are images" },
        { "channels.npy", Npy(new byte[10 * 2 * 2 * 2], 10, 2, 2, 2), "channels.npy: uint8 images [10, 2, 2, 2] have 1 or 3 channels neither last" },
        { "nan.npy", Npy([.. Enumerable.Range(0, 14).Select(i => (double)i), double.NaN, .. Enumerable.Range(0, 5).Select(i => (double)i)], 10, 2), "nan.npy: row 8, column 1: NaN" },
        { "huge.npy", Npy([.. Enumerable.Range(0, 19).Select(i => (double)i), 1e300], 10, 2), "huge.npy: row 10, column 2: 1E+300 is beyond the range of float32" },
        { "few.npy", Npy(Enumerable.Range(0, 18).Select(i => (float)i).ToArray(), 9, 2), "few.npy: 9 examples are too few" },
        { "constant.npy", Npy(Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? 1f : i).ToArray(), 10, 2), "constant.npy: column 1 holds one value in every row" },
        { "truncated.npy", Npy("<f4", [10, 2], new byte[79]), "truncated.npy: truncated, the header declares 80 bytes of data ([10, 2] of float32) but the file holds 79" },
        { "long.npy", Npy("<f4", [10, 2], new byte[81]), "long.npy: 1 bytes beyond the 80 bytes of data" },
        { "magic.npy", "not numpy at all"u8.ToArray(), "magic.npy: not a NumPy .npy file" },
        { "header.npy", Npy("<f4", [10, 2], new byte[80])[..40], "header.npy: truncated header" },
        { "version.npy", [.. Npy("<f4", [10, 2], new byte[80])[..6], 9, 0, .. Npy("<f4", [10, 2], new byte[80])[8..]], "version.npy: .npy format version 9.0" },
        { "nodescr.npy", Npy("<f4", [10, 2], new byte[80]).Select(b => b == (byte)'d' ? (byte)'x' : b).ToArray(), "nodescr.npy: the header lacks descr" },
        { "overflow.npy", Npy("<f8", [1L << 40, 1L << 40], new byte[8]), "overflow.npy: the header declares [1099511627776, 1099511627776], more than one array holds" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadFilesAreRefusedNamingTheFile(string name, byte[] bytes, string expected) => Refused(Write(name, bytes), expected);

    [Fact]
    public void StructuredArraysAreRefused() =>
        Refused(Write("fields.npy", NpyWithHeader("{'descr': [('a', '<f4'), ('b', '<f4')], 'fortran_order': False, 'shape': (10,), }", new byte[80])),
            "fields.npy: a structured dtype");

    [Fact]
    public void AMissingFileIsNamed() =>
        Assert.Contains("absent.npy", Assert.Throws<FileNotFoundException>(() => DatasetCatalog.Load(NpyDataset.Prefix + folder.File("absent.npy"))).Message);

    private static void Refused(string path, string expected)
    {
        var e = Assert.Throws<DataFormatException>(() => NpyDataset.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
