using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Incremental;

/// <summary>
/// The network's input: pixel <c>p</c> (raster index) of <see cref="Source"/>, prepared for the network, is stored at
/// step <c>p + 1</c>, the first step after it was drawn.
/// </summary>
public sealed class ImageMap : CachedMap
{
    private readonly Func<Tensor, Tensor> prepare;

    /// <summary>An input of <paramref name="channels"/> prepared channels.</summary>
    /// <param name="channels">Channels after <paramref name="prepare"/>.</param>
    /// <param name="height">Image rows.</param>
    /// <param name="width">Image columns.</param>
    /// <param name="prepare">Maps raw pixels <c>[B, C, 1, n]</c> to the network's input channels.</param>
    public ImageMap(long channels, int height, int width, Func<Tensor, Tensor> prepare) : base(channels, height, width)
    {
        this.prepare = prepare;
        Plan();
    }

    /// <summary>The images being drawn, <c>[B, C, H, W]</c>.</summary>
    public Tensor? Source { get; set; }

    /// <inheritdoc />
    protected override int ReadyFromInputs(int row, int col) => row * Width + col + 1;

    /// <inheritdoc />
    protected override Tensor Compute(int row, int col, int count) =>
        prepare((Source ?? throw new InvalidOperationException("No source images.")).narrow(2, row, 1).narrow(3, col, count));
}
