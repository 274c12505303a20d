using Tractable.Networks.Pixel.Recurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.PixelModels;

/// <summary>The Diagonal BiLSTM's skew puts each diagonal in a column, and the unskew undoes it.</summary>
public sealed class SkewingTests
{
    [Theory]
    [InlineData(3, 5)]
    [InlineData(5, 3)]
    [InlineData(1, 4)]
    public void SkewShiftsRowIByIAndUnskewInvertsIt(int height, int width)
    {
        using var g = new Generator(1);
        Tensor x = randn([2, 3, height, width], dtype: float64, generator: g);
        Tensor skewed = Skewing.Skew(x);
        Assert.Equal([2L, 3, height, width + height - 1], skewed.shape);
        Tensor expected = zeros_like(skewed);
        for (int i = 0; i < height; i++)
            expected.select(2, i).narrow(2, i, width).copy_(x.select(2, i));
        Assert.True(skewed.eq(expected).all().item<bool>());
        Assert.True(Skewing.Unskew(skewed, width).eq(x).all().item<bool>());
    }
}
