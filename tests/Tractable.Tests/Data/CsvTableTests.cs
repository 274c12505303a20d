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
