using Spectre.Console;
using Tractable.Models.Pixel;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Bench;

/// <summary>
/// PixelRNN (Row LSTM, Diagonal BiLSTM; 7 layers) against Gated PixelCNN (the default, 8 layers) at about the same
/// parameter count on 28×28 binary images: a training step (forward, backward and an Adam update on a batch of 32),
/// and drawing 16 images the naive way (one full pass per pixel; timed on the first rows and scaled to the image, as
/// the cost is the same for every pixel) and the fast way (cached states, the whole image). Environment:
/// <c>PIXELRNN_BENCH_NAIVE_ROWS</c> (rows of the naive loop timed, default 1), <c>PIXELRNN_BENCH_ONLY</c> (one model label).
/// </summary>
public sealed class PixelRnnBenchmark : IBenchmarkSuite
{
    private const int TrainBatch = 32;
    private const int SampleBatch = 16;

    /// <inheritdoc />
    public string Name => "pixelrnn";

    /// <inheritdoc />
    public string Description => "PixelRNN vs Gated PixelCNN (~160k parameters, 28x28 binary): train step (batch 32), naive vs fast sampling of 16 images";

    /// <inheritdoc />
    public void Run(double seconds)
    {
        int naiveRows = Environment.GetEnvironmentVariable("PIXELRNN_BENCH_NAIVE_ROWS") is { } s ? int.Parse(s) : 1;
        string? only = Environment.GetEnvironmentVariable("PIXELRNN_BENCH_ONLY");
        var table = new Table().AddColumns("model", "parameters", "train step s (batch 32)", "naive sampling s (whole image, scaled)",
            "fast sampling s (whole image)", "speed-up");
        (string Label, PixelModelConfig Config)[] cases =
        [
            ("gated-pixelcnn", new GatedPixelCnnConfig()),
            ("row-lstm", new PixelRnnConfig { Variant = PixelRnnVariant.RowLstm, HiddenChannels = 24 }),
            ("diagonal-bilstm", new PixelRnnConfig { Variant = PixelRnnVariant.DiagonalBiLstm, HiddenChannels = 25 }),
        ];
        foreach (var (label, config) in cases)
        {
            if (only is not null && label != only) continue;
            manual_seed(0);
            var model = (PixelAutoregressiveModel)config.Build();
            var optimizer = optim.Adam(model.parameters(), 1e-3);
            using var g = new Generator(2);
            Tensor x = randint(0, config.Levels, [TrainBatch, config.Colours, config.Height, config.Width], generator: g).to(float32);
            model.train();
            double step = 1 / Timing.Rate(seconds, () =>
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                (-model.LogProb(x).mean()).backward();
                optimizer.step();
            }, warmup: 1);
            double Sample(bool fast, int? rows) => Timing.Seconds(() =>
            {
                using var scope = NewDisposeScope();
                using var sampleGenerator = new Generator(1);
                model.Sample(SampleBatch, null, sampleGenerator, 1.0, fast, rows);
            });
            double naive = Sample(false, naiveRows) * config.Height / naiveRows;
            double fastWhole = Sample(true, null);
            table.AddRow(label, $"{model.ParameterCount:N0}", $"{step:F3}", $"{naive:F1}", $"{fastWhole:F2}", $"{naive / fastWhole:F1}x");
        }
        AnsiConsole.Write(table);
    }
}
