using Spectre.Console;
using Tractable.Data;
using Tractable.Data.Images;
using Tractable.Evaluation;
using Tractable.Models.Latent;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Bench;

/// <summary>
/// A sanity run of the default VAE on binarized MNIST (one seeded Bernoulli draw per pixel): each posterior trains
/// through the <see cref="Trainer"/> with the ELBO objective for the given seconds, then reports training speed, peak
/// memory, test −ELBO with its terms and the importance-weighted NLL (k = 100) on the first 1,000 test images.
/// The data folder comes from <c>TRACTABLE_DATA</c> (default <c>../shared/data</c>).
/// </summary>
public sealed class VaeBenchmark : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "vae";

    /// <inheritdoc />
    public string Description => "VAE (MLP 300x2, 32 latent) on binarized MNIST: train S seconds per posterior, test -ELBO and IW-NLL (k=100)";

    /// <inheritdoc />
    public void Run(double seconds)
    {
        DataSplits mnist = Mnist.Load(Environment.GetEnvironmentVariable("TRACTABLE_DATA"), binarizeSeed: 0);
        var test = new Split(mnist.Test.X.narrow(0, 0, 1000));
        var table = new Table().AddColumns("posterior", "steps", "steps/s", "peak MiB", "-ELBO (nats)", "KL", "reconstruction", "IW-NLL k=100");
        foreach (var (posterior, steps) in new[] { (PosteriorFlow.None, 0), (PosteriorFlow.Iaf, 2) })
        {
            manual_seed(0);
            var vae = (Vae)new VaeConfig { Posterior = posterior, FlowSteps = steps }.Build();
            var options = new TrainerOptions
            {
                Steps = 1_000_000, BatchSize = 100, LearningRate = 1e-3, Schedule = LearningRateScheduleKind.Constant, EvalEvery = 2000,
                CheckpointEvery = 0, MaxMinutes = seconds / 60,
            };
            TrainResult result;
            double peak;
            using (var memory = new PeakMemorySampler())
            {
                result = new Trainer(options).Fit(vae, new EvidenceLowerBound(mnist, CPU, warmupSteps: 2000), CPU);
                peak = memory.PeakMiB;
            }
            ElboEstimate elbo = VariationalEvaluator.Elbo(vae, test, CPU, seed: 1);
            MeanEstimate nll = VariationalEvaluator.ImportanceWeightedNll(vae, test, samples: 100, CPU, seed: 1);
            table.AddRow($"{posterior} x {steps}", $"{result.Steps}", $"{result.Steps / result.TrainSeconds:F1}", $"{peak:F0}",
                $"{elbo.NegativeElbo.Mean:F2} ± {elbo.NegativeElbo.StandardError:F2}", $"{elbo.Kl.Mean:F2}", $"{elbo.Reconstruction.Mean:F2}",
                $"{nll.Mean:F2} ± {nll.StandardError:F2}");
        }
        AnsiConsole.Write(table);
    }
}
