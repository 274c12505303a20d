using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// The input image of a network's first (type-A) masked convolution, cached for raster-order sampling (Ramachandran et
/// al. 2017, arXiv:1704.06001): the convolution's output at one pixel is computed from one patch of the cache. The
/// image is rewritten at the current pixel on every call (its colours are drawn one by one) and once more at the
/// previous pixel, whose last colour was drawn after its own last call. Later layers never see the last colour of their
/// own pixel (the colour masks), so only this first cache needs the rewrite.
/// </summary>
public sealed class ImageInputCache : IDisposable
{
    private readonly MaskedConv2d conv;
    private readonly Func<Tensor, Tensor> scale;
    private readonly Tensor cache;

    /// <summary>An empty cache of <paramref name="conv"/>'s input for images shaped like <paramref name="x"/> <c>[B, C, H, W]</c>.</summary>
    /// <param name="conv">The first convolution.</param>
    /// <param name="x">The images being sampled (only their shape, type and device are used).</param>
    /// <param name="scale">Maps raw levels <c>[B, C]</c> to the network's input range.</param>
    public ImageInputCache(MaskedConv2d conv, Tensor x, Func<Tensor, Tensor> scale)
    {
        this.conv = conv;
        this.scale = scale;
        cache = conv.EmptyCache(x.size(0), x.size(2), x.size(3), x.dtype, x.device).DetachFromDisposeScope();
    }

    /// <summary>The convolution's output <c>[B, out]</c> at pixel <c>(row, col)</c> of <paramref name="x"/> as drawn so far.</summary>
    public Tensor At(Tensor x, int row, int col)
    {
        int width = (int)x.size(3), previous = row * width + col - 1;
        if (previous >= 0) Write(x, previous / width, previous % width);
        Write(x, row, col);
        return conv.At(cache, row, col);
    }

    /// <inheritdoc />
    public void Dispose() => cache.Dispose();

    private void Write(Tensor x, int row, int col) => conv.Write(cache, row, col, scale(x.select(3, col).select(2, row)));
}
