using Tractable.Data;
using Tractable.IO;
using static TorchSharp.torch;

namespace Tractable.Tests.Data;

/// <summary>Splits are named one way for tables, images and audio, and are checked when made.</summary>
public sealed class DataSplitsTests
{
    private static readonly DataSplits Data = new("tiny", new Split(zeros(3, 2)), new Split(ones(2, 2)), new Split(full(1, 2, 2.0)));

    [Theory]
    [InlineData("train", 3)]
    [InlineData("Validation", 2)]
    [InlineData("VAL", 2)]
    [InlineData("valid", 2)]
    [InlineData("test", 1)]
    public void SplitsAreFoundByAnySpellingOfTheirName(string name, long count) => Assert.Equal(count, Data.Get(name).Count);

    [Fact]
    public void AnUnknownSplitNamesTheAcceptedOnes()
    {
        var e = Assert.Throws<UnknownNameException>(() => Data.Get("dev"));
        Assert.Equal("Unknown split 'dev'; expected one of: train, validation, test.", e.Message);
    }

    [Fact]
    public void AnEmptySplitIsNamedInTheError()
    {
        var e = Assert.Throws<DataFormatException>(() => new DataSplits("tiny", new Split(zeros(3, 2)), new Split(zeros(0, 2)), new Split(zeros(1, 2))));
        Assert.Contains("the validation split is empty", e.Message);
    }

    [Fact]
    public void HoldingOutKeepsExamplesAndLabelsTogetherInOrder()
    {
        var whole = new Split(arange(5).to(float32).unsqueeze(1), arange(5) + 10);
        (Split first, Split last) = whole.HoldOutLast(2);
        Assert.Equal(new float[] { 0, 1, 2 }, first.X.flatten().data<float>().ToArray());
        Assert.Equal(new long[] { 10, 11, 12 }, first.Labels!.data<long>().ToArray());
        Assert.Equal(new float[] { 3, 4 }, last.X.flatten().data<float>().ToArray());
        Assert.Equal(new long[] { 13, 14 }, last.Labels!.data<long>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => whole.HoldOutLast(5));
    }
}
