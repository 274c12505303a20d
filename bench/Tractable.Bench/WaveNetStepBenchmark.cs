using Tractable.Models;
using Tractable.Networks.WaveNet;
using static TorchSharp.torch;

namespace Tractable.Bench;

/// <summary>
/// WaveNet fast generation, the two step implementations interleaved A B A B: the per-layer tensor queues
/// (<see cref="IncrementalWaveNet"/>, one native call per operation) against the fused step over managed buffers
/// (<see cref="FusedWaveNet{T}"/>), in samples per second (batch × steps) of wall-clock and of CPU time, for the
/// default model at several batch sizes. <see cref="WaveNet.FusedBatchLimit"/> comes from this table.
/// </summary>
public sealed class WaveNetStepBenchmark(int rounds) : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "wavenet-step";

    /// <inheritdoc />
    public string Description => "WaveNet fast generation: tensor queues vs fused step, samples/s (wall and CPU), batch 1..16";

    /// <inheritdoc />
    public void Run(double seconds)
    {
        manual_seed(0);
        using var model = (WaveNet)new WaveNetConfig().Build();
        model.eval();
        Console.WriteLine("| batch | queues samples/s | fused samples/s | fused / queues (wall) | per-round | fused / queues (CPU) | fused samples per CPU second |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (int batch in (Environment.GetEnvironmentVariable("WAVENET_STEP_BATCHES") ?? "1,2,4,8,16,32").Split(',').Select(int.Parse))
        {
            const long steps = 256;
            Tensor zeroInput = zeros([batch, model.Settings.Levels]);
            Action queues = () =>
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                using var incremental = new IncrementalWaveNet(model.Network, batch, steps);
                Tensor previous = zeroInput.clone();
                for (long t = 0; t < steps; t++)
                {
                    using var stepScope = NewDisposeScope();
                    Tensor logits = incremental.Step(previous);
                    Tensor next = (logits.to(float64).softmax(1).cumsum(1) < rand([batch, 1], float64)).sum(1).clamp_max(255);
                    previous.copy_(nn.functional.one_hot(next, model.Settings.Levels));
                }
            };
            Action fused = () =>
            {
                using var _ = no_grad();
                using var step = new FusedWaveNet<float>(model.Network, batch, steps);
                long[] previous = new long[batch];
                Array.Fill(previous, -1L);
                for (long t = 0; t < steps; t++)
                {
                    ReadOnlySpan<float> logits = step.Step(previous);
                    for (int b = 0; b < batch; b++) previous[b] = ArgMax(logits.Slice(b * step.Levels, step.Levels));
                }
            };
            var q = new List<Throughput>();
            var f = new List<Throughput>();
            for (int round = 0; round < rounds; round++)
            {
                q.Add(Timing.Measure(seconds, queues, warmup: 1));
                f.Add(Timing.Measure(seconds, fused, warmup: 1));
            }
            double Median(IEnumerable<double> v) => v.Order().ElementAt(rounds / 2);
            double qw = Median(q.Select(t => t.PerWallSecond)) * batch * steps, fw = Median(f.Select(t => t.PerWallSecond)) * batch * steps;
            double cpu = Median(f.Select(t => t.PerCpuSecond)) / Median(q.Select(t => t.PerCpuSecond));
            var perRound = f.Zip(q, (a, b) => a.PerWallSecond / b.PerWallSecond).ToArray();
            Console.WriteLine($"| {batch} | {qw:N0} | {fw:N0} | {fw / qw:F2} | {perRound.Min():F2}–{perRound.Max():F2} | {cpu:F2} | {Median(f.Select(t => t.PerCpuSecond)) * batch * steps:N0} |");
        }
        Console.WriteLine("default model (2 stacks of dilations 1..512, R 32, S 64), 256 steps per call; the fused loop takes the argmax, the queue loop an inverse-CDF draw (as generation does)");
    }

    private static long ArgMax(ReadOnlySpan<float> x) => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(x);
}
