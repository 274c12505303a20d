using static TorchSharp.torch;

namespace Tractable.Evaluation;

/// <summary>A rectangle of the plane, <c>[XMin, XMax] × [YMin, YMax]</c>.</summary>
public readonly record struct Bounds2D(double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>A square <c>[-r, r]²</c>.</summary>
    public static Bounds2D Square(double r) => new(-r, r, -r, r);
}

/// <summary>
/// Evaluates a 2D log-density on a regular grid of cell centres: for heat maps, for checking that a model
/// integrates to one, and for the normalizer <c>log Z</c> of an energy.
/// </summary>
public static class DensityGrid
{
    /// <summary>
    /// <c>log p</c> at the centres of <paramref name="resolution"/>² cells; row 0 is the top (largest y), as in an image.
    /// </summary>
    public static Tensor LogDensity(Func<Tensor, Tensor> logProb, Bounds2D b, int resolution, Device? device = null, int batchSize = 16_384)
    {
        using var _ = no_grad();
        double dx = (b.XMax - b.XMin) / resolution, dy = (b.YMax - b.YMin) / resolution;
        Tensor xs = linspace(b.XMin + dx / 2, b.XMax - dx / 2, resolution);
        Tensor ys = linspace(b.YMax - dy / 2, b.YMin + dy / 2, resolution);
        Tensor[] mesh = meshgrid([ys, xs], indexing: "ij");
        Tensor points = stack([mesh[1].flatten(), mesh[0].flatten()], 1);          // [R², 2] as (x, y)
        var parts = new List<Tensor>();
        for (long start = 0; start < points.size(0); start += batchSize)
        {
            long n = Math.Min(batchSize, points.size(0) - start);
            parts.Add(logProb(device is null ? points.narrow(0, start, n) : points.narrow(0, start, n).to(device)).cpu().to(float64));
        }
        return cat(parts, 0).reshape(resolution, resolution);
    }

    /// <summary><c>log ∫ p</c> over the bounds by the midpoint rule, computed with <c>logsumexp</c>.</summary>
    public static double LogIntegral(Tensor logGrid, Bounds2D b)
    {
        long cells = logGrid.numel();
        double cellArea = (b.XMax - b.XMin) * (b.YMax - b.YMin) / cells;
        return logGrid.flatten().logsumexp(0).item<double>() + Math.Log(cellArea);
    }
}
