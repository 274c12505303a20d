using ScottPlot;

namespace Tractable.Cli.Plotting;

/// <summary>
/// What every chart shares: a ScottPlot <see cref="Plot"/> in a sans-serif face where the system has one (ScottPlot's own
/// default resolves to a serif face on Debian), and saving to PNG with the folder created.
/// </summary>
public static class Charts
{
    private static readonly string? Sans = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial" }
        .FirstOrDefault(name => Fonts.GetTypeface(name, false, false)?.FamilyName == name);

    /// <summary>An empty chart with <paramref name="title"/> and axis labels.</summary>
    public static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (Sans is not null) plot.Font.Set(Sans);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Saves <paramref name="plot"/> as a PNG of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static void Save(Plot plot, string path, int width = 900, int height = 560)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        plot.SavePng(path, width, height);
    }
}
