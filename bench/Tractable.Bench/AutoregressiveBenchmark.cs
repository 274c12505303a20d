using Spectre.Console;
using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Bench;

/// <summary>
/// MAF vs. IAF (5 layers, MADE 1×256; batch 64, 16 at D = 784) at D = 2, 64 and 784: density (log-prob) and
/// sampling examples/s.
/// MAF's density and IAF's sampling take one network pass per layer; the other direction takes D passes, so the
/// ratio grows with D.
/// </summary>
public sealed class AutoregressiveBenchmark : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "autoregressive";

    /// <inheritdoc />
    public string Description => "MAF vs IAF (5 layers, MADE 1x256, batch 64/16): density and sampling examples/s at D = 2, 64, 784";

    /// <inheritdoc />
    public void Run(double seconds)
    {
        var table = new Table().AddColumns("model", "D", "density examples/s", "sampling examples/s", "density / sampling");
        foreach (int d in new[] { 2, 64, 784 })
        foreach (string kind in new[] { "maf", "iaf" })
        {
            manual_seed(0);
            AutoregressiveConfig config = kind == "maf"
                ? new MafConfig { Features = d, Layers = 5, HiddenFeatures = 256, HiddenLayers = 1 }
                : new IafConfig { Features = d, Layers = 5, HiddenFeatures = 256, HiddenLayers = 1 };
            DensityModel model = config.Build();
            model.eval();
            int batch = d > 100 ? 16 : 64;
            Tensor x = randn(batch, d);
            // A D-pass direction at D = 784 takes seconds per batch: one warm-up call is enough.
            int warmup = d > 100 ? 1 : 3;
            double density, sampling;
            using (no_grad())
            {
                density = Timing.Rate(seconds, () =>
                {
                    using var scope = NewDisposeScope();
                    model.LogProb(x).sum().item<float>();
                }, warmup);
                sampling = Timing.Rate(seconds, () =>
                {
                    using var scope = NewDisposeScope();
                    model.Sample(batch).sum().item<float>();
                }, warmup);
            }
            table.AddRow(kind, $"{d}", $"{density * batch:N0}", $"{sampling * batch:N0}", $"{density / sampling:G3}");
        }
        AnsiConsole.Write(table);
    }
}
