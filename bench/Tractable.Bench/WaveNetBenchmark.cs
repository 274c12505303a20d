using Spectre.Console;
using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Bench;

/// <summary>
/// WaveNet generation (default model: 2 stacks of dilations 1…512, receptive field 2,048, 32/64 channels, random
/// weights): seconds per sample of the naive way (the receptive field re-run per sample) and the fast way (per-layer
/// queues), the speed-up, the real-time factor at 8 kHz, and whether both give the same samples for the same seed.
/// </summary>
public sealed class WaveNetBenchmark : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "wavenet";

    /// <inheritdoc />
    public string Description => "WaveNet generation at RF 2048: naive vs fast (queued) seconds/sample, speed-up, real-time factor, identical outputs";

    /// <inheritdoc />
    public void Run(double seconds)
    {
        var table = new List<string> { "model | receptive field | method | samples | ms/sample | real-time factor (8 kHz) | speed-up | same samples" };
        var defaults = new WaveNetConfig();
        foreach (WaveNetConfig config in new[]
                 {
                     defaults,                                                                  // the trained default: R 32, S 64
                     defaults with { ResidualChannels = 64, SkipChannels = 128 },
                     defaults with { Stacks = 1 },                                              // receptive field 1,025
                 })
            Measure(config, seconds, table);
        foreach (string row in table) AnsiConsole.WriteLine(row);          // plain rows: logs keep them intact at any width
        AnsiConsole.WriteLine("real-time factor = generation time / audio time (below 1: faster than real time); same samples: naive vs fast, seed 11, float32");
    }

    private static void Measure(WaveNetConfig config, double seconds, List<string> table)
    {
        manual_seed(0);
        using var model = (WaveNet)config.Build();
        model.eval();
        int rate = config.SampleRate;
        string name = $"{config.Stacks}x(1..{config.MaxDilation}), R {config.ResidualChannels}, S {config.SkipChannels}";

        // Naive: as many samples as fit in about `seconds` (at least 32), after a warm-up.
        Time(() => model.Generate(1, 4, fast: false));
        long naiveCount = 32;
        double naiveSeconds = Time(() => model.Generate(1, naiveCount, fast: false));
        if (naiveSeconds < seconds)
        {
            naiveCount = Math.Max(naiveCount, (long)(naiveCount * seconds / naiveSeconds));
            naiveSeconds = Time(() => model.Generate(1, naiveCount, fast: false));
        }
        double naivePerSample = naiveSeconds / naiveCount;

        // Fast: one second of audio.
        Time(() => model.Generate(1, 64, fast: true));
        long fastCount = rate;
        double fastPerSample = Time(() => model.Generate(1, fastCount, fast: true)) / fastCount;

        // The same generator gives the same samples both ways (inverse-CDF draws; float32 logits may differ by rounding).
        long compare = Math.Min(naiveCount, 512);
        using var g1 = new Generator(11);
        using var g2 = new Generator(11);
        using Tensor naive = model.Generate(1, compare, fast: false, g1);
        using Tensor fast = model.Generate(1, compare, fast: true, g2);
        string same = $"{naive.eq(fast).sum().item<long>()}/{compare}";

        table.Add($"{name} | {model.ReceptiveField} | naive | {naiveCount} | {1000 * naivePerSample:F2} | {naivePerSample * rate:F1} | 1.0 | {same}");
        table.Add($"{name} | {model.ReceptiveField} | fast (queues) | {fastCount} | {1000 * fastPerSample:F3} | {fastPerSample * rate:F2} | {naivePerSample / fastPerSample:F1} | {same}");
    }

    private static double Time(Action action)
    {
        using var scope = NewDisposeScope();
        return Timing.Seconds(action);
    }
}
