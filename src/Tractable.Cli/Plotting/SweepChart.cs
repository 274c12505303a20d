namespace Tractable.Cli.Plotting;

/// <summary>One figure of a sweep: a metric of the runs of one group against a model option.</summary>
/// <param name="Group">The group's name in the legend (the value of the grouping option).</param>
/// <param name="Metric">The metric's name in the legend.</param>
/// <param name="Points">(option value, figure, standard error or 0), ordered by the option value.</param>
public sealed record SweepSeries(string Group, string Metric, IReadOnlyList<(double X, double Y, double Error)> Points)
{
    /// <summary>
    /// Draws <paramref name="series"/> on one chart: one colour per group and one line pattern per metric, with error
    /// bars of one standard error where the runs report one.
    /// </summary>
    public static void Save(IReadOnlyList<SweepSeries> series, string path, string title, string xLabel, string yLabel)
    {
        var plot = Charts.Create(title, xLabel, yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        string[] groups = series.Select(s => s.Group).Distinct().ToArray();
        string[] metrics = series.Select(s => s.Metric).Distinct().ToArray();
        ScottPlot.LinePattern[] patterns = [ScottPlot.LinePattern.Solid, ScottPlot.LinePattern.Dashed, ScottPlot.LinePattern.Dotted, ScottPlot.LinePattern.DenselyDashed];
        foreach (SweepSeries s in series)
        {
            var kept = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
            if (kept.Length == 0) continue;
            ScottPlot.Color color = palette.GetColor(Array.IndexOf(groups, s.Group));
            double[] x = kept.Select(p => p.X).ToArray(), y = kept.Select(p => p.Y).ToArray();
            var line = plot.Add.Scatter(x, y, color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LinePattern = patterns[Array.IndexOf(metrics, s.Metric) % patterns.Length];
            line.LegendText = metrics.Length > 1 ? $"{s.Group}: {s.Metric}" : s.Group;
            if (kept.Any(p => p.Error > 0))
            {
                var bars = plot.Add.ErrorBar(x, y, kept.Select(p => double.IsFinite(p.Error) ? p.Error : 0).ToArray());
                bars.Color = color;
            }
        }
        // Outside the axes: the points of a sweep reach every corner of them.
        plot.ShowLegend(ScottPlot.Edge.Right);
        Charts.Save(plot, path, width: 1100);
    }
}
