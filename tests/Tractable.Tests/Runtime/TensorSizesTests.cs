using System.Text.RegularExpressions;
using Tractable.Runtime;
using Tractable.Tests.Support;
using static TorchSharp.torch;

namespace Tractable.Tests.Runtime;

/// <summary>
/// <see cref="TensorSizes"/> gives what TorchSharp's array-returning calls give (sizes, strides, chunks, splits,
/// slices, the views sharing the tensor's memory), and the library's model code reads sizes through it, so that a
/// pass leaves no native blocks behind for the garbage collector.
/// </summary>
public sealed class TensorSizesTests
{
    [Theory]
    [InlineData(new long[] { 5 })]
    [InlineData(new long[] { 2, 3, 4, 5 })]
    [InlineData(new long[] { 1, 0, 7 })]
    public void SizesAndStridesAreThoseOfShapeAndStride(long[] shape)
    {
        using var scope = NewDisposeScope();
        Tensor x = zeros(shape);
        Assert.Equal(x.shape, TensorSizes.Of(x));
        Assert.Equal(x.stride(), TensorSizes.StridesOf(x));
        Tensor permuted = zeros(2, 3, 4, 5).permute(0, 2, 3, 1);
        Assert.Equal(permuted.shape, TensorSizes.Of(permuted));
        Assert.Equal(permuted.stride(), TensorSizes.StridesOf(permuted));
        Tensor scalar = tensor(1f);
        Assert.Empty(TensorSizes.Of(scalar));
    }

    [Theory]
    [InlineData(8, 2)]
    [InlineData(7, 2)]
    [InlineData(10, 4)]
    [InlineData(3, 5)]
    [InlineData(1, 1)]
    public void ChunksAreThoseOfChunk(long length, int chunks)
    {
        using var scope = NewDisposeScope();
        Tensor x = arange(3 * length).view(3, length).to(float32);
        Tensor[] expected = x.chunk(chunks, 1), actual = TensorSizes.Chunk(x, chunks, 1);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].shape, actual[i].shape);
            Assert.True(expected[i].equal(actual[i]).all().item<bool>());
        }
        actual[0].fill_(-1);                                                   // views: a write reaches x
        Assert.Equal(-1f, x[0, 0].item<float>());
    }

    [Fact]
    public void SplitsAndSlicesAreThoseOfSplitAndUnbind()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(4, 6, 3);
        Tensor[] expected = x.split([1, 3, 2], 1), actual = TensorSizes.Split(x, [1, 3, 2], 1);
        Assert.Equal(3, actual.Length);
        for (int i = 0; i < 3; i++) Assert.True(expected[i].equal(actual[i]).all().item<bool>());
        Assert.Throws<ArgumentException>(() => TensorSizes.Split(x, [1, 3], 1));

        Tensor[] slices = x.unbind(2), ours = TensorSizes.Unbind(x, 2);
        Assert.Equal(slices.Length, ours.Length);
        for (int i = 0; i < slices.Length; i++) Assert.True(slices[i].equal(ours[i]).all().item<bool>());
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorSizes.Chunk(x, 0, 1));
    }

    /// <summary>
    /// TorchSharp calls that return arrays (or read one: <c>expand_as</c>, <c>view_as</c>) marshal a delegate each
    /// time. Outside loading and saving (once per file) and error messages, the library goes through
    /// <see cref="TensorSizes"/> instead.
    /// </summary>
    [Fact]
    public void ModelCodeReadsSizesWithoutArrayReturningCalls()
    {
        var call = new Regex(@"(?<!this)\.(shape\b|stride\(\)|chunk\(|split\(|unbind\(|expand_as\(|view_as\()");
        string source = Path.Combine(Repository.Root, "src", "Tractable");
        string[] loading = ["IO", "Data"];
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(file => !loading.Contains(Path.GetRelativePath(source, file).Split(Path.DirectorySeparatorChar)[0]))
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => !l.line.TrimStart().StartsWith("///") && !l.line.Contains("string.Join(") && call.IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(source, l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }
}
