using Tractable.Networks.Pixel.Incremental;
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

/// <summary>A sampler that steps a network unrolled into cached maps (<see cref="CachedGraph"/>) through the pixels.</summary>
public sealed class CachedGraphSampler(CachedGraph graph) : PixelSampler
{
    /// <inheritdoc />
    public override void Begin(Tensor x) => graph.Begin(x);

    /// <inheritdoc />
    public override Tensor ParametersAt(Tensor x, int row, int col) => graph.At(x, row, col);

    /// <inheritdoc />
    public override void Dispose()
    {
        graph.Dispose();
        base.Dispose();
    }
}
