using Tractable.Bench.Race;
using Tractable.Models;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Bench;

/// <summary>
/// TorchSharp's AdamW (several operations per parameter) against the flat-buffer <see cref="AdamW"/> on the race's
/// models, interleaved A B A B: the whole training step, and the optimizer step alone (zero_grad + step on fixed
/// gradients), in steps per second.
/// </summary>
public sealed class OptimizerBenchmark(int rounds) : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "optimizer";

    /// <inheritdoc />
    public string Description => "TorchSharp AdamW vs the flat-buffer AdamW, interleaved: train step and optimizer step alone (steps/s)";

    /// <inheritdoc />
    public void Run(double seconds)
    {
        Console.WriteLine("| model | measured | TorchSharp AdamW steps/s | flat AdamW steps/s | ratio | per-round ratios | ratio of CPU time |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, batch) in new[] { ("realnvp", 64L), ("maf", 64L), ("glow", 16L) })
        {
            RaceCase raceCase = RaceCase.All.Single(c => c.Name == name);
            manual_seed(0);
            using DensityModel a = raceCase.Build();
            manual_seed(0);
            using DensityModel b = raceCase.Build();
            using optim.Optimizer torchSharp = optim.AdamW(a.parameters(), 1e-4, weight_decay: 0);
            using var flat = new AdamW(b.parameters(), 1e-4, weightDecay: 0);
            Tensor x = raceCase.Data(batch);
            Action Train(DensityModel model, optim.Optimizer optimizer) => () =>
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                (-model.LogProb(x).mean()).backward();
                optimizer.step();
            };
            Action StepOnly(optim.Optimizer optimizer) => () =>
            {
                using var scope = NewDisposeScope();
                optimizer.step();
            };
            Measure($"{name} (batch {batch})", "train step", Train(a, torchSharp), Train(b, flat), seconds);
            Measure($"{name}", "optimizer step alone", StepOnly(torchSharp), StepOnly(flat), seconds / 2);
        }
    }

    private void Measure(string model, string what, Action first, Action second, double seconds)
    {
        var r1 = new List<Throughput>();
        var r2 = new List<Throughput>();
        for (int round = 0; round < rounds; round++)
        {
            r1.Add(Timing.Measure(seconds, first));
            r2.Add(Timing.Measure(seconds, second));
        }
        double Median(IEnumerable<double> v) => v.Order().ElementAt(rounds / 2);
        double m1 = Median(r1.Select(t => t.PerWallSecond)), m2 = Median(r2.Select(t => t.PerWallSecond));
        double cpu = Median(r2.Select(t => t.PerCpuSecond)) / Median(r1.Select(t => t.PerCpuSecond));
        var ratios = r2.Zip(r1, (p, q) => p.PerWallSecond / q.PerWallSecond).ToArray();
        Console.WriteLine($"| {model} | {what} | {m1:F1} | {m2:F1} | {m2 / m1:F2} | {ratios.Min():F2}–{ratios.Max():F2} | {cpu:F2} |");
    }
}
