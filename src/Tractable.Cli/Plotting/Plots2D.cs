using Tractable.Evaluation;
using static TorchSharp.torch;

namespace Tractable.Cli.Plotting;

/// <summary>The pictures of 2D models: a density heat map, and samples drawn over data.</summary>
public static class Plots2D
{
    /// <summary>Bounds that hold most of <paramref name="points"/> <c>[N, 2]</c> with a margin, as a square.</summary>
    public static Bounds2D BoundsOf(Tensor points)
    {
        using var scope = NewDisposeScope();
        Tensor p = points.detach().cpu().to(float64);
        Tensor lo = p.quantile(0.001, 0), hi = p.quantile(0.999, 0);
        double cx = 0.5 * (lo[0].item<double>() + hi[0].item<double>()), cy = 0.5 * (lo[1].item<double>() + hi[1].item<double>());
        double half = 0.6 * Math.Max(hi[0].item<double>() - lo[0].item<double>(), hi[1].item<double>() - lo[1].item<double>());
        return new Bounds2D(cx - half, cx + half, cy - half, cy + half);
    }

    /// <summary>Writes a heat map of <c>exp(logDensity)</c> over <paramref name="bounds"/>.</summary>
    public static void DensityHeatMap(Func<Tensor, Tensor> logDensity, Bounds2D bounds, string path, int resolution = 256, Device? device = null)
    {
        using var scope = NewDisposeScope();
        Tensor logGrid = DensityGrid.LogDensity(logDensity, bounds, resolution, device);
        Tensor density = (logGrid - logGrid.max()).exp();                    // scaled to a maximum of 1
        Png.Save(Colormap.Viridis(density), path);
    }

    /// <summary>Writes a scatter plot of <paramref name="samples"/> (blue) over <paramref name="data"/> (grey), if given.</summary>
    public static void Scatter(Tensor samples, Tensor? data, Bounds2D bounds, string path, int size = 512)
    {
        using var scope = NewDisposeScope();
        Tensor canvas = ones(3, size, size);
        if (data is not null) Draw(canvas, data, bounds, [0.75f, 0.75f, 0.75f]);
        Draw(canvas, samples, bounds, [0.12f, 0.35f, 0.85f]);
        Png.Save(canvas, path);
    }

    private static void Draw(Tensor canvas, Tensor points, Bounds2D b, float[] rgb)
    {
        long size = canvas.shape[1];
        Tensor p = points.detach().cpu().to(float64);
        Tensor col = ((p.select(1, 0) - b.XMin) / (b.XMax - b.XMin) * (size - 1)).round().to(int64);
        Tensor row = ((b.YMax - p.select(1, 1)) / (b.YMax - b.YMin) * (size - 1)).round().to(int64);
        foreach ((int dr, int dc) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
        {
            Tensor r = row + dr, c = col + dc;
            Tensor keep = (r >= 0).logical_and(r < size).logical_and(c >= 0).logical_and(c < size);
            Tensor flat = (r * size + c).masked_select(keep);
            for (int ch = 0; ch < 3; ch++) canvas[ch].view(-1).index_fill_(0, flat, rgb[ch]);
        }
    }
}
