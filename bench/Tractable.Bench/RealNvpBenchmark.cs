using Spectre.Console;
using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Bench;

/// <summary>RealNVP (8 couplings, MLP 2×256): train steps/s and log-prob examples/s at D = 2, 64 and batch 256, 1024.</summary>
public sealed class RealNvpBenchmark : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "realnvp";

    /// <inheritdoc />
    public string Description => "RealNVP (8 couplings, MLP 2x256): train steps/s, log-prob examples/s, peak RSS";

    /// <inheritdoc />
    public void Run(double seconds)
    {
        var table = new Table().AddColumns("D", "batch", "train steps/s", "train examples/s", "log-prob examples/s", "peak RSS (MiB)");
        foreach (int d in new[] { 2, 64 })
        foreach (int batch in new[] { 256, 1024 })
        {
            using var sampler = new PeakMemorySampler();
            manual_seed(0);
            DensityModel model = new RealNvpConfig { Features = d, Couplings = 8, HiddenFeatures = 256, HiddenLayers = 2 }.Build();
            var optimizer = optim.Adam(model.parameters(), 1e-3);
            Tensor x = randn(batch, d);
            double train = Timing.Rate(seconds, () =>
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                (-model.LogProb(x).mean()).backward();
                optimizer.step();
            });
            model.eval();
            double logProb;
            using (no_grad())
                logProb = Timing.Rate(seconds, () =>
                {
                    using var scope = NewDisposeScope();
                    model.LogProb(x).sum().item<float>();
                });
            table.AddRow($"{d}", $"{batch}", $"{train:F1}", $"{train * batch:N0}", $"{logProb * batch:N0}", $"{sampler.PeakMiB:F0}");
        }
        AnsiConsole.Write(table);
    }
}
