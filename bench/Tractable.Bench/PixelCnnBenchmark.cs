using Spectre.Console;
using Tractable.Models.Pixel;
using static TorchSharp.torch;

namespace Tractable.Bench;

/// <summary>
/// Sampling speed of the autoregressive image models: a batch of 16 images drawn the naive way (one full network pass
/// per pixel and colour) and the cached fast way, with the default configurations at 28×28 (binarized MNIST) and
/// 32×32×3 (CIFAR-10, 256 levels). The naive loop costs the same for every pixel, so it is timed on the first rows and
/// scaled to the whole image; the fast loop is timed on the whole image where the table says so. Environment:
/// <c>PIXELCNN_BENCH_NAIVE_ROWS</c> (rows of the naive loop timed, default 2), <c>PIXELCNN_BENCH_ONLY</c> (one model label).
/// </summary>
public sealed class PixelCnnBenchmark : IBenchmarkSuite
{
    private const int Batch = 16;

    /// <inheritdoc />
    public string Name => "pixelcnn";

    /// <inheritdoc />
    public string Description => "PixelCNN family: naive vs fast sampling of 16 images (28x28 binary, 32x32x3 256 levels)";

    /// <inheritdoc />
    public void Run(double seconds)
    {
        int naiveRows = Environment.GetEnvironmentVariable("PIXELCNN_BENCH_NAIVE_ROWS") is { } s ? int.Parse(s) : 2;
        var table = new Table().AddColumns("model", "image", "naive rows timed", "naive s (first rows)", "naive s (whole image, scaled)",
            "fast s (whole image)", "speed-up");
        (string Label, PixelModelConfig Config, bool FastWhole)[] cases =
        [
            ("gated-pixelcnn", new GatedPixelCnnConfig(), true),
            ("gated-pixelcnn", new GatedPixelCnnConfig { Colours = 3, Height = 32, Width = 32, Levels = 256, Channels = 33 }, true),
            ("pixelcnn", new PixelCnnConfig(), true),
            ("pixelcnn", new PixelCnnConfig { Colours = 3, Height = 32, Width = 32, Levels = 256 }, true),
            ("pixelcnn++", new PixelCnnPlusPlusConfig { Levels = 256 }, true),
            ("pixelcnn++", new PixelCnnPlusPlusConfig { Colours = 3, Height = 32, Width = 32, Levels = 256 }, true),
        ];
        string? only = Environment.GetEnvironmentVariable("PIXELCNN_BENCH_ONLY");
        foreach (var (label, config, fastWhole) in cases)
        {
            if (only is not null && label != only) continue;
            manual_seed(0);
            var model = (PixelAutoregressiveModel)config.Build();
            double Time(bool fast, int? rows) => Timing.Seconds(() =>
            {
                using var scope = NewDisposeScope();
                using var g = new Generator(1);
                model.Sample(Batch, null, g, 1.0, fast, rows);
            });
            double naive = Time(false, naiveRows);
            double naiveWhole = naive * config.Height / naiveRows;
            double fast = fastWhole ? Time(true, null) : Time(true, naiveRows);
            string image = $"{config.Colours}x{config.Height}x{config.Width}, {config.Levels} levels";
            table.AddRow(label, image, $"{naiveRows}", $"{naive:F2}", $"{naiveWhole:F1}",
                fastWhole ? $"{fast:F2}" : $"({fast:F2} on the first rows)",
                fastWhole ? $"{naiveWhole / fast:F1}x" : $"{naive / fast:F1}x on the first rows");
        }
        AnsiConsole.Write(table);
    }
}
