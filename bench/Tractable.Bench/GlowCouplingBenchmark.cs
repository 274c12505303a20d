using Tractable.Bench.Race;
using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Bench;

/// <summary>
/// Glow (the race's 1×28×28, L=2, K=8, hidden 256) with the masked coupling (the network reads C channels and writes
/// 2C) against the paper's split coupling (reads C/2, writes C), interleaved A B A B: training step, density and
/// sampling, examples per second.
/// </summary>
public sealed class GlowCouplingBenchmark(int rounds) : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "glow-coupling";

    /// <inheritdoc />
    public string Description => "Glow masked vs split coupling, interleaved: train step, density, sampling (examples/s)";

    /// <inheritdoc />
    public void Run(double seconds)
    {
        manual_seed(0);
        using DensityModel masked = RaceCase.All.Single(c => c.Name == "glow-masked").Build();
        manual_seed(0);
        using DensityModel split = RaceCase.All.Single(c => c.Name == "glow").Build();
        Console.WriteLine($"parameters: masked {masked.ParameterCount:N0}, split {split.ParameterCount:N0}");
        Console.WriteLine(Interleaved.Header("row", "masked examples", "split examples"));
        const long batch = 64;
        Tensor x = randint(0, 256, [batch, 1, 28, 28]).to(float32);
        using var optMasked = new Training.AdamW(masked.parameters(), 1e-4, weightDecay: 0);
        using var optSplit = new Training.AdamW(split.parameters(), 1e-4, weightDecay: 0);
        Action Train(DensityModel m, optim.Optimizer o) => () =>
        {
            using var scope = NewDisposeScope();
            m.train();
            o.zero_grad();
            (-m.LogProb(x).mean()).backward();
            o.step();
        };
        Action Density(DensityModel m) => () =>
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            m.eval();
            m.LogProb(x).sum().item<float>();
        };
        Action Sample(DensityModel m) => () =>
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            m.eval();
            m.Sample(batch).sum().item<float>();
        };
        Console.WriteLine(Interleaved.Row("train:64", rounds, seconds, Train(masked, optMasked), Train(split, optSplit), batch));
        Console.WriteLine(Interleaved.Row("density:64", rounds, seconds, Density(masked), Density(split), batch));
        Console.WriteLine(Interleaved.Row("sample:64", rounds, seconds, Sample(masked), Sample(split), batch, warmup: 1));
    }
}
