namespace Tractable.Cli.Plotting;

/// <summary>One run's training curve: the training loss at every logged step and the validation figure at each validation.</summary>
/// <param name="Name">The run's name in the legend.</param>
/// <param name="Training">(x, mean training loss since the previous row).</param>
/// <param name="Validation">(x, validation figure).</param>
public sealed record LearningCurve(string Name, IReadOnlyList<(double X, double Y)> Training, IReadOnlyList<(double X, double Y)> Validation)
{
    /// <summary>
    /// Draws <paramref name="curves"/> on one chart: each run in its own colour, the training loss as a thin line and the
    /// validation figure as a thick line with markers, both in the units of <paramref name="yLabel"/>.
    /// </summary>
    public static void Save(IReadOnlyList<LearningCurve> curves, string path, string title, string xLabel, string yLabel)
    {
        var plot = Charts.Create(title, xLabel, yLabel);
        var palette = new ScottPlot.Palettes.Category10();
        bool any = false;
        for (int i = 0; i < curves.Count; i++)
        {
            ScottPlot.Color color = palette.GetColor(i);
            (double[] tx, double[] ty) = Finite(curves[i].Training);
            if (tx.Length > 0)
            {
                var train = plot.Add.ScatterLine(tx, ty, color.WithAlpha(0.55));
                train.LineWidth = 1;
                train.LegendText = $"{curves[i].Name}: training loss";
            }
            (double[] vx, double[] vy) = Finite(curves[i].Validation);
            if (vx.Length > 0)
            {
                var validation = plot.Add.Scatter(vx, vy, color);
                validation.LineWidth = 2.5f;
                validation.MarkerSize = 7;
                validation.LegendText = $"{curves[i].Name}: validation";
            }
            any |= tx.Length + vx.Length > 0;
        }
        if (!any) throw new InvalidOperationException("Nothing to plot: the training log has no finite values.");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        Charts.Save(plot, path);
    }

    private static (double[] X, double[] Y) Finite(IReadOnlyList<(double X, double Y)> points)
    {
        var kept = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        return (kept.Select(p => p.X).ToArray(), kept.Select(p => p.Y).ToArray());
    }
}
