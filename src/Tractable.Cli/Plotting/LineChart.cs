using System.Globalization;
using SkiaSharp;

namespace Tractable.Cli.Plotting;

/// <summary>A line chart with axes, ticks and labels, drawn with SkiaSharp (the library TorchVision's imager uses).</summary>
public sealed class LineChart
{
    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points, SKColor Color)> series = [];
    private static readonly SKColor[] Palette = [new(31, 90, 217), new(217, 95, 2), new(27, 158, 119), new(117, 112, 179)];

    /// <summary>The chart's title.</summary>
    public required string Title { get; init; }

    /// <summary>The x-axis label.</summary>
    public required string XLabel { get; init; }

    /// <summary>The y-axis label.</summary>
    public required string YLabel { get; init; }

    /// <summary>Adds a series.</summary>
    public LineChart Add(string name, IReadOnlyList<(double X, double Y)> points)
    {
        series.Add((name, points, Palette[series.Count % Palette.Length]));
        return this;
    }

    /// <summary>Draws the chart to a PNG file.</summary>
    public void Save(string path, int width = 800, int height = 500)
    {
        var all = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        if (all.Length == 0) throw new InvalidOperationException("Nothing to plot: no finite points.");
        double x0 = all.Min(p => p.X), x1 = all.Max(p => p.X), y0 = all.Min(p => p.Y), y1 = all.Max(p => p.Y);
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= y0) y1 = y0 + 1;
        double pad = 0.05 * (y1 - y0);
        (y0, y1) = (y0 - pad, y1 + pad);

        const float left = 80, right = 20, top = 40, bottom = 60;
        float plotW = width - left - right, plotH = height - top - bottom;
        float Px(double x) => left + (float)((x - x0) / (x1 - x0)) * plotW;
        float Py(double y) => top + plotH - (float)((y - y0) / (y1 - y0)) * plotH;

        using var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1 };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true, Typeface = SKTypeface.Default };
        void Label(string s, float x, float y, SKTextAlign align, float size = 13)
        {
            text.TextSize = size;
            text.TextAlign = align;
            canvas.DrawText(s, x, y, text);
        }

        foreach (double t in Ticks(x0, x1))
        {
            canvas.DrawLine(Px(t), top, Px(t), top + plotH, grid);
            Label(Format(t), Px(t), top + plotH + 18, SKTextAlign.Center);
        }
        foreach (double t in Ticks(y0, y1))
        {
            canvas.DrawLine(left, Py(t), left + plotW, Py(t), grid);
            Label(Format(t), left - 6, Py(t) + 4, SKTextAlign.Right);
        }
        using (var frame = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Stroke })
            canvas.DrawRect(left, top, plotW, plotH, frame);
        Label(Title, width / 2f, 24, SKTextAlign.Center, 16);
        Label(XLabel, left + plotW / 2, height - 18, SKTextAlign.Center);
        canvas.Save();
        canvas.RotateDegrees(-90, 18, top + plotH / 2);
        Label(YLabel, 18, top + plotH / 2, SKTextAlign.Center);
        canvas.Restore();

        text.TextSize = 13;
        float legendWidth = series.Count == 0 ? 0 : series.Max(entry => text.MeasureText(entry.Name));
        float legendX = left + plotW - legendWidth - 36;   // the widest label ends inside the frame
        float legendY = top + 18;
        foreach (var (name, points, color) in series)
        {
            using var line = new SKPaint { Color = color, StrokeWidth = 2, IsAntialias = true, Style = SKPaintStyle.Stroke };
            using var dot = new SKPaint { Color = color, IsAntialias = true };
            var finite = points.Where(p => double.IsFinite(p.Y)).ToArray();
            for (int i = 1; i < finite.Length; i++)
                canvas.DrawLine(Px(finite[i - 1].X), Py(finite[i - 1].Y), Px(finite[i].X), Py(finite[i].Y), line);
            foreach (var p in finite) canvas.DrawCircle(Px(p.X), Py(p.Y), 3, dot);
            canvas.DrawLine(legendX, legendY - 4, legendX + 20, legendY - 4, line);
            Label(name, legendX + 26, legendY, SKTextAlign.Left);
            legendY += 18;
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    private static IEnumerable<double> Ticks(double lo, double hi)
    {
        double raw = (hi - lo) / 6, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (double t = Math.Ceiling(lo / step) * step; t <= hi + 1e-12; t += step) yield return t;
    }

    private static string Format(double v) => Math.Abs(v) >= 1e4 || (Math.Abs(v) < 1e-2 && v != 0)
        ? v.ToString("0.##E0", CultureInfo.InvariantCulture)
        : v.ToString("0.###", CultureInfo.InvariantCulture);
}
