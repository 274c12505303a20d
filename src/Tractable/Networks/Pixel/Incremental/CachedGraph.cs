using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Incremental;

/// <summary>
/// A network unrolled into cached maps (built through <see cref="CachedAlgebra"/>), stepped through the pixels of a
/// sampling run in raster order: at step <c>t</c> every map computes the positions that pixel <c>t − 1</c> made
/// computable, maps in the order they were built (inputs before the layers that read them).
/// </summary>
public sealed class CachedGraph : IDisposable
{
    private readonly List<CachedMap> maps = [];
    private int nextStep;

    /// <summary>A graph fed by <paramref name="image"/>.</summary>
    public CachedGraph(ImageMap image) => Image = Add(image);

    /// <summary>The input map.</summary>
    public ImageMap Image { get; }

    /// <summary>The map whose values are returned per pixel; set once the graph is built.</summary>
    public CachedMap? Output { get; set; }

    /// <summary>Appends a map (after every map it reads).</summary>
    public T Add<T>(T map) where T : CachedMap
    {
        maps.Add(map);
        return map;
    }

    /// <summary>Allocates every map for the images <paramref name="x"/> <c>[B, C, H, W]</c> and restarts at step 0.</summary>
    public void Begin(Tensor x)
    {
        CachedMap output = Output ?? throw new InvalidOperationException("The graph has no output map.");
        for (int r = 0; r < output.Height; r++)
        for (int c = 0; c < output.Width; c++)
            if (output.Ready[r, c] > r * output.Width + c)
                throw new InvalidOperationException($"The network's output at ({r}, {c}) reads pixels at or after it: it is not causal.");
        foreach (CachedMap map in maps) map.Allocate(x.size(0), x.dtype, x.device);
        Image.Source = x;
        nextStep = 0;
    }

    /// <summary>
    /// The output <c>[B, C]</c> at pixel <c>(row, col)</c> of <paramref name="x"/>, whose earlier pixels are drawn;
    /// pixels are visited in raster order.
    /// </summary>
    public Tensor At(Tensor x, int row, int col)
    {
        CachedMap output = Output ?? throw new InvalidOperationException("The graph has no output map.");
        int step = row * output.Width + col;
        if (step < nextStep - 1) throw new InvalidOperationException("Pixels must be visited in raster order.");
        Image.Source = x;
        for (; nextStep <= step; nextStep++)
            foreach (CachedMap map in maps) map.Advance(nextStep);
        return output.Window(row, 1, col, 1).reshape(x.size(0), output.Channels).clone();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (CachedMap map in maps) map.Dispose();
        GC.SuppressFinalize(this);
    }
}
