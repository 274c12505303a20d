using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Recurrent;

/// <summary>
/// A residual recurrent layer of PixelRNN (van den Oord et al. 2016, arXiv:1601.06759, §3.1–3.3): an LSTM that scans
/// the <c>2h</c>-channel stream by rows (Row LSTM) or by diagonals (Diagonal BiLSTM), its <c>h</c>-channel state mapped
/// back to <c>2h</c> channels by a 1×1 type-B convolution and added to the stream (§3.3, Figure 5). Position
/// <c>(i, j)</c> of the output depends on the stream at earlier positions and, through the type-B colour masks, on the
/// colours <c>≤ c</c> of position <c>(i, j)</c> for the channels of colour <c>c</c>.
/// </summary>
public abstract class RecurrentPixelLayer : TorchSharp.torch.nn.Module
{
    /// <summary>Names the module.</summary>
    protected RecurrentPixelLayer(string name) : base(name) { }

    /// <summary>The layer on a whole stream <paramref name="x"/> <c>[B, 2h, H, W] → [B, 2h, H, W]</c>.</summary>
    public abstract Tensor Forward(Tensor x, Tensor? context);

    /// <summary>
    /// The layer's recurrent state for sampling <paramref name="batch"/> images of <paramref name="height"/> ×
    /// <paramref name="width"/> pixels in raster order, one position per pixel (and colour).
    /// </summary>
    public abstract RecurrentLayerState CreateState(long batch, int height, int width, ScalarType dtype, Device device, Tensor? context);
}

/// <summary>
/// A recurrent layer's state during raster-order sampling. <see cref="BeginRow"/> runs inside the sampling loop's row
/// scope, <see cref="At"/> inside its pixel scope; what lives for the whole image is made by the constructor and freed
/// by <see cref="Dispose"/>.
/// </summary>
public abstract class RecurrentLayerState : IDisposable
{
    /// <summary>Called before the first pixel of <paramref name="row"/>, when every earlier row is final.</summary>
    public virtual void BeginRow(int row) { }

    /// <summary>
    /// The layer's output <c>[B, 2h]</c> at pixel <c>(row, col)</c> from its input <paramref name="x"/> <c>[B, 2h]</c>
    /// there; the state at that pixel is (re)computed and kept for the pixels after it.
    /// </summary>
    public abstract Tensor At(Tensor x, int row, int col);

    /// <summary>Frees the state maps.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>The entry <c>[B, C]</c> of a map <c>[B, C, H, W]</c> at <c>(row, col)</c>, a view to read or write.</summary>
    public static Tensor Entry(Tensor map, int row, int col) => map.select(3, col).select(2, row);
}
