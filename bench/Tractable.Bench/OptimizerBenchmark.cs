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
        Console.WriteLine(Interleaved.Header("model | measured", "TorchSharp AdamW steps", "flat AdamW steps"));
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
            Console.WriteLine(Interleaved.Row($"{name} (batch {batch}) | train step", rounds, seconds, Train(a, torchSharp), Train(b, flat)));
            Console.WriteLine(Interleaved.Row($"{name} | optimizer step alone", rounds, seconds / 2, StepOnly(torchSharp), StepOnly(flat)));
        }
    }
}
