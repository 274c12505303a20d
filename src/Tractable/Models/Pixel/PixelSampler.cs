using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>
/// Computes the likelihood parameters of one pixel during raster-order sampling. <see cref="BeginRow"/> is called once
/// per row, inside a dispose scope that lives for the whole row, so a sampler may keep per-row tensors until the next call.
/// Tensors that live for the whole image are made in <see cref="Begin"/> and freed by <see cref="Dispose"/>.
/// </summary>
public abstract class PixelSampler : IDisposable
{
    /// <summary>Called once before the first pixel with the all-zero images <paramref name="x"/> <c>[B, C, H, W]</c>.</summary>
    public virtual void Begin(Tensor x) { }

    /// <summary>Frees what <see cref="Begin"/> made.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>Called before the first pixel of <paramref name="row"/>; <paramref name="x"/> holds every earlier row.</summary>
    public virtual void BeginRow(Tensor x, int row) { }

    /// <summary>The parameters <c>[B, P]</c> of pixel <c>(row, col)</c> given the pixels of <paramref name="x"/> drawn so far.</summary>
    public abstract Tensor ParametersAt(Tensor x, int row, int col);
}

/// <summary>The naive sampler: one full network pass over the whole image for every pixel (and colour).</summary>
public sealed class NaivePixelSampler(PixelAutoregressiveModel model, Tensor? context) : PixelSampler
{
    /// <inheritdoc />
    public override Tensor ParametersAt(Tensor x, int row, int col) =>
        model.Parameters(x, context).select(3, col).select(2, row);
}

/// <summary>
/// Runs the network only on the rows that can reach the current pixel: rows below it never can (every layer looks up
/// or left), and rows more than <c>rowsAbove</c> above lie outside the receptive field. Cut edges inside the image are
/// padded with zeros, but no position in the pixel's receptive cone reads across them, so the result is the naive
/// one up to rounding. <c>rowMultiple</c> keeps the window aligned for networks that downsample.
/// </summary>
public sealed class WindowedPixelSampler(PixelAutoregressiveModel model, Tensor? context, int? rowsAbove, int rowMultiple = 1) : PixelSampler
{
    /// <inheritdoc />
    public override Tensor ParametersAt(Tensor x, int row, int col)
    {
        long height = x.shape[2];
        int top = rowsAbove is int r ? Math.Max(0, row - r) / rowMultiple * rowMultiple : 0;
        long bottom = Math.Min(height, (row / rowMultiple + 1) * (long)rowMultiple);
        return model.Parameters(x.narrow(2, top, bottom - top), context).select(3, col).select(2, row - top);
    }
}
