using Tractable.Data;
using static TorchSharp.torch;
using Tractable.Tests.Support;

namespace Tractable.Tests.Data;

public sealed class CsvTableTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    internal static string SharedData => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/data"));

    private string Write(string name, string text)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [SkippableSharedDataFact]
    public void ReadsTheSharedIrisTableWithItsLabels()
    {
        CsvTable t = CsvTable.Load(Path.Combine(SharedData, "tabular/iris.csv"));
        Assert.Equal([150L, 4L], t.Features.shape);
        Assert.NotNull(t.Labels);
        Assert.Equal(3, t.Labels!.unique().Item1.numel());
        Assert.Equal(5.1f, t.Features[0, 0].item<float>(), 5);
    }

    [SkippableSharedDataFact]
    public void ReadsGzippedDigits()
    {
        CsvTable t = CsvTable.Load(Path.Combine(SharedData, "tabular/digits.csv.gz"), LabelColumn.Last);
        Assert.Equal([1797L, 64L], t.Features.shape);
        Assert.Equal(16f, t.Features.max().item<float>());
    }

    [SkippableSharedDataFact]
    public void SplitsAndStandardizesBreastCancer()
    {
        DataSplits d = DatasetCatalog.Load("csv:" + Path.Combine(SharedData, "tabular/breast_cancer.csv"));
        Assert.Equal([30L], d.EventShape);
        Assert.Equal(569, d.Train.Count + d.Validation.Count + d.Test.Count);
        Assert.True(d.StandardizeByDefault);
        Assert.Equal(2, d.NumClasses);
    }

    [Fact]
    public void RaggedRowNamesFileRowAndColumn()
    {
        string path = Write("ragged.csv", "1,2,3\n4,5,6\n7,8\n");
        var e = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));
        Assert.Contains("ragged.csv: row 3, column 3", e.Message);
        Assert.Contains("ragged", e.Message);
    }

    [Fact]
    public void NonNumericCellNamesFileRowAndColumn()
    {
        string path = Write("words.csv", "a,b\n1,2\n3,x\n");
        var e = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));
        Assert.Contains("words.csv: row 3, column 2: 'x' is not a number", e.Message);
    }

    [Fact]
    public void NaNCellNamesFileRowAndColumn()
    {
        string path = Write("nan.csv", "1,2\nNaN,3\n");
        var e = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));
        Assert.Contains("nan.csv: row 2, column 1", e.Message);
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void AMissingValueIsRefusedWithItsFileRowAndColumn()
    {
        string path = Write("gaps.csv", "a,b,c\n1,2,3\n4,NA,6\n");
        var e = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));
        Assert.Contains("gaps.csv: row 3, column 2: a missing value ('NA' in 'b')", e.Message);
        Assert.Contains("MissingValues", e.Message);
    }

    [Fact]
    public void DroppingLeavesOutEveryRowWithAMissingValue()
    {
        // Each token of CsvTable.MissingTokens, in any case, marks a gap; the first row is data, not a header.
        string path = Write("gaps.csv", "1,NA,3\n4,5,6\n7,,9\n10,?,12\n13,nan,15\n16,Null,18\n19,n/a,21\n22,23,24\n");
        CsvTable t = CsvTable.Load(path, missingValues: MissingValuePolicy.Drop);
        Assert.Equal(new float[] { 4, 5, 6, 22, 23, 24 }, t.Features.data<float>().ToArray());
        Assert.Equal(6, t.DroppedRows);
        Assert.Equal(["x1", "x2", "x3"], t.FeatureNames);
        string allGaps = Write("all.csv", "a,b\n1,NA\n,2\n");
        Assert.Contains("all.csv: every one of its 2 rows has a missing value",
            Assert.Throws<DataFormatException>(() => CsvTable.Load(allGaps, missingValues: MissingValuePolicy.Drop)).Message);
    }

    [Fact]
    public void ColumnsAreChosenByHeaderNameIndexOrRangeAndOnlyTheyAreRead()
    {
        // The station column is text and the humidity column has a gap: neither matters when they are not chosen.
        string path = Write("weather.csv", "station,temp,humidity,wind,rain\nA,12.5,,3,0.1\nB,14,80,5,0\n");
        CsvTable t = CsvTable.Load(path, columns: ColumnSelection.Parse("rain, temp"));
        Assert.Equal(["rain", "temp"], t.FeatureNames);
        Assert.Equal([5, 2], t.FeatureColumns);
        Assert.Equal(new float[] { 0.1f, 12.5f, 0, 14 }, t.Features.data<float>().ToArray());
        Assert.Equal(["temp", "wind", "rain"], CsvTable.Load(path, columns: ColumnSelection.Parse("2,4-5"), missingValues: MissingValuePolicy.Drop).FeatureNames);
        Assert.Equal(1, CsvTable.Load(path, columns: ColumnSelection.Parse("2-4"), missingValues: MissingValuePolicy.Drop).Features.shape[0]);
        string bare = Write("bare.csv", "1,2,3\n4,5,6\n");
        CsvTable b = CsvTable.Load(bare, columns: ColumnSelection.Parse("3,1"));
        Assert.Equal(["x3", "x1"], b.FeatureNames);
        Assert.Equal(new float[] { 3, 1, 6, 4 }, b.Features.data<float>().ToArray());
    }

    [Theory]
    [InlineData("weather.csv", "pressure", "weather.csv has no column 'pressure'; its columns are station, temp, humidity, wind, rain (or 1-based indices 1 to 5)")]
    [InlineData("weather.csv", "6", "column 6 is not one of the 5 columns of weather.csv")]
    [InlineData("weather.csv", "temp,2", "column 2 of weather.csv is selected twice")]
    [InlineData("weather.csv", "1", "'A' is not a number")]
    [InlineData("bare.csv", "temp", "bare.csv has no header row, so its columns are chosen by 1-based index (1 to 3); 'temp' is not one")]
    [InlineData("bare.csv", "0", "column 0 is not one of the 3 columns")]
    public void AColumnThatIsNotThereIsAClearError(string file, string columns, string expected)
    {
        Write("weather.csv", "station,temp,humidity,wind,rain\nA,12.5,70,3,0.1\n");
        Write("bare.csv", "1,2,3\n4,5,6\n");
        Exception e = Assert.ThrowsAny<Exception>(() => CsvTable.Load(Path.Combine(folder, file), columns: ColumnSelection.Parse(columns)));
        Assert.True(e is InvalidSettingException or DataFormatException, e.GetType().Name);
        Assert.Contains(expected, e.Message);
        Assert.Equal("Columns", Assert.Throws<InvalidSettingException>(() => ColumnSelection.Parse("1,,2")).Setting);
    }

    [Fact]
    public void TheLabelColumnCannotAlsoBeAFeature()
    {
        string path = Write("labelled.csv", "1,2,0\n3,4,1\n");
        var e = Assert.Throws<InvalidSettingException>(() => CsvTable.Load(path, LabelColumn.Last, ColumnSelection.Parse("1,3")));
        Assert.Contains("column 3 of labelled.csv holds the labels", e.Message);
        CsvTable t = CsvTable.Load(path, LabelColumn.Last, ColumnSelection.Parse("2"));
        Assert.Equal(new long[] { 0, 1 }, t.Labels!.data<long>().ToArray());
        Assert.Equal(new float[] { 2, 4 }, t.Features.data<float>().ToArray());
    }

    [Fact]
    public void TheCatalogPassesColumnsAndMissingValuesAndRefusesThemElsewhere()
    {
        string rows = "temp,humidity,note\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{i * 0.5},{(i % 7 == 3 ? "NA" : (40 + i).ToString())},x"));
        string path = Write("table.csv", rows);
        var options = new DataOptions { Columns = ColumnSelection.Parse("humidity,temp"), MissingValues = MissingValuePolicy.Drop };
        DataSplits d = DatasetCatalog.Load("csv:" + path, options);
        Assert.Equal(["humidity", "temp"], d.FeatureNames);
        Assert.Equal(30 - 4, d.Train.Count + d.Validation.Count + d.Test.Count);       // rows 3, 10, 17, 24 have a gap
        Assert.Equal("Columns", Assert.Throws<InvalidSettingException>(() => DatasetCatalog.Load("moons", options with { MissingValues = MissingValuePolicy.Error })).Setting);
        Assert.Equal("MissingValues", Assert.Throws<InvalidSettingException>(() => DatasetCatalog.Load("moons", options with { Columns = null })).Setting);
    }

    [Fact]
    public void WrittenTablesHaveAHeaderAndPlainNumbers()
    {
        string path = Path.Combine(folder, "out.csv");
        CsvTable.Write(path, tensor(new float[] { 1.8e-5f, -1234567.9f, 3.4028235e38f, 0.1f, 1e-45f, -0f }, [3, 2]), ["temp", "humidity"]);
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(["temp,humidity", "0.000018,-1234567.9", "340282350000000000000000000000000000000,0.1",
            "0.000000000000000000000000000000000000000000001,-0"], lines);
        CsvTable.Write(path, zeros(1, 3));
        Assert.Equal("x1,x2,x3", File.ReadAllLines(path)[0]);
        CsvTable back = CsvTable.Load(Write("back.csv", string.Join("\n", lines)));
        Assert.Equal(["temp", "humidity"], back.FeatureNames);
        Assert.Equal(new float[] { 1.8e-5f, -1234567.9f, 3.4028235e38f, 0.1f, 1e-45f, -0f }, back.Features.data<float>().ToArray());
    }

    [Fact]
    public void PlainNumbersReadBackAsTheSameFloat()
    {
        var random = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            float v = BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            if (!float.IsFinite(v)) continue;
            string text = Tractable.IO.PlainNumber.Format(v);
            Assert.DoesNotContain("E", text);
            Assert.Equal(v, float.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal("0.1", Tractable.IO.PlainNumber.Format(0.1f));                // the fewest digits, not 0.100000001
    }

    [Fact]
    public void MissingFileIsAClearError()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CsvTable.Load(Path.Combine(folder, "absent.csv")));
        Assert.Contains("absent.csv", e.Message);
    }
}

/// <summary>A fact that needs ../shared/data; it is skipped, saying so, where that folder is absent.</summary>
public sealed class SkippableSharedDataFactAttribute : FactAttribute
{
    public SkippableSharedDataFactAttribute()
    {
        if (!Directory.Exists(CsvTableTests.SharedData)) Skip = $"shared data not found at {CsvTableTests.SharedData}";
    }
}
