using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// PixelCNN's residual block (van den Oord et al. 2016, arXiv:1601.06759, Figure 5):
/// <c>x + 1×1(ReLU(k×k_B(ReLU(1×1(ReLU(x))))))</c> with <c>2h → h → h → 2h</c> channels, every convolution type B.
/// </summary>
public sealed class PixelCnnResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly MaskedConv2d reduce;
    private readonly MaskedConv2d spatial;
    private readonly MaskedConv2d expand;

    /// <summary>Builds a block over <c>2 × <paramref name="channels"/></c> channels.</summary>
    public PixelCnnResidualBlock(long channels, int kernel, int colours) : base(nameof(PixelCnnResidualBlock))
    {
        reduce = new MaskedConv2d(2 * channels, channels, 1, 1, MaskType.B, colours);
        spatial = new MaskedConv2d(channels, channels, kernel, kernel, MaskType.B, colours);
        expand = new MaskedConv2d(channels, 2 * channels, 1, 1, MaskType.B, colours);
        RegisterComponents();
    }

    /// <summary>The 1×1 convolution 2h → h.</summary>
    internal MaskedConv2d Reduce => reduce;

    /// <summary>The k×k convolution h → h.</summary>
    internal MaskedConv2d Spatial => spatial;

    /// <summary>The 1×1 convolution h → 2h.</summary>
    internal MaskedConv2d Expand => expand;

    /// <summary>Rows above that the block reads.</summary>
    public int RowsAbove => spatial.RowsAbove;

    /// <summary>The cache of the block's k×k convolution input for <see cref="At"/>.</summary>
    public Tensor EmptyCache(long batch, long height, long width, ScalarType dtype, Device device) => spatial.EmptyCache(batch, height, width, dtype, device);

    /// <summary>
    /// The block's output <c>[B, 2h]</c> at pixel <c>(row, col)</c> from its input <paramref name="x"/> <c>[B, 2h]</c> there;
    /// <paramref name="cache"/> holds the k×k convolution's input at every earlier pixel and receives this one's.
    /// </summary>
    public Tensor At(Tensor x, Tensor cache, int row, int col)
    {
        spatial.Write(cache, row, col, nn.functional.relu(reduce.At(nn.functional.relu(x).view(x.size(0), -1, 1, 1), 0, 0)));
        Tensor h = spatial.At(cache, row, col);
        return x + expand.At(nn.functional.relu(h).view(h.size(0), -1, 1, 1), 0, 0);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The convolutions' outputs are fresh and their backward reads only their inputs, so the ReLUs after them and the
    /// residual sum overwrite them instead of allocating new maps.
    /// </remarks>
    public override Tensor forward(Tensor x)
    {
        Tensor h = reduce.forward(nn.functional.relu(x)).relu_();
        h = spatial.forward(h).relu_();
        return expand.forward(h).add_(x);
    }
}
