using Tractable.Evaluation;
using static TorchSharp.torch;

namespace Tractable.Cli.Plotting;

/// <summary>The pictures of 2D models, with axes in the data's units: a density heat map, and samples drawn over data.</summary>
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

    /// <summary>Writes a heat map of the density <c>exp(logDensity)</c> over <paramref name="bounds"/>, with a colour bar.</summary>
    public static void DensityHeatMap(Func<Tensor, Tensor> logDensity, Bounds2D bounds, string path, int resolution = 256, Device? device = null)
    {
        double[,] density = new double[resolution, resolution];
        using (NewDisposeScope())
        {
            Tensor grid = DensityGrid.LogDensity(logDensity, bounds, resolution, device).exp().to(float64).cpu().contiguous();   // row 0 at the top
            Buffer.BlockCopy(grid.data<double>().ToArray(), 0, density, 0, resolution * resolution * sizeof(double));
        }
        var plot = Charts.Create("Model density", "x₁", "x₂");
        var heatmap = plot.Add.Heatmap(density);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Extent = new ScottPlot.CoordinateRect(bounds.XMin, bounds.XMax, bounds.YMin, bounds.YMax);
        plot.Add.ColorBar(heatmap).Label = "density";
        SaveSquare(plot, bounds, path);
    }

    /// <summary>Writes a scatter plot of <paramref name="samples"/> (blue) over <paramref name="data"/> (grey), if given.</summary>
    public static void Scatter(Tensor samples, Tensor? data, Bounds2D bounds, string path)
    {
        var plot = Charts.Create(data is null ? "Samples" : "Samples (blue) over test data (grey)", "x₁", "x₂");
        if (data is not null) AddPoints(plot, data, new ScottPlot.Color(150, 150, 150, 140));
        AddPoints(plot, samples, new ScottPlot.Color(31, 90, 217, 170));
        SaveSquare(plot, bounds, path);
    }

    private static void AddPoints(ScottPlot.Plot plot, Tensor points, ScottPlot.Color color)
    {
        using var scope = NewDisposeScope();
        Tensor p = points.detach().cpu().to(float64).contiguous();
        double[] x = p.select(1, 0).contiguous().data<double>().ToArray(), y = p.select(1, 1).contiguous().data<double>().ToArray();
        var scatter = plot.Add.ScatterPoints(x, y, color);
        scatter.MarkerSize = 3;
    }

    private static void SaveSquare(ScottPlot.Plot plot, Bounds2D bounds, string path)
    {
        plot.Axes.SetLimits(bounds.XMin, bounds.XMax, bounds.YMin, bounds.YMax);
        Charts.Save(plot, path, width: 680, height: 600);
    }
}
