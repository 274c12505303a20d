// Trains a RealNVP flow on tensors of your own, then scores new points and draws samples.
// Usage: dotnet run -- [steps]   (default 2000)
using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Runtime;
using Tractable.Training;
using static TorchSharp.torch;

NativeBackend.EnsureLoaded();   // libtorch from this application's folder, or an exception that says why not
set_num_threads(2);             // threads of libtorch's CPU kernels
manual_seed(1);                 // the same weights and samples on every run
int steps = args.Length > 0 ? int.Parse(args[0]) : 2000;

// 1. Your data: any float[N, D] array or tensor (shuffle the rows first if they are ordered).
//    Here 3,000 rows of three correlated measurements.
float[,] rows = Measurements(3000, seed: 1);
Tensor x = tensor(rows);                                              // [3000, 3]
var data = new DataSplits("measurements",
    train: new Split(x[..2400]), validation: new Split(x[2400..2700]), test: new Split(x[2700..]));

// 2. A flow for 3-dimensional vectors; Standardize fits the data's scale first, so any units will do.
DensityModel flow = new RealNvpConfig { Features = 3, Couplings = 6, HiddenFeatures = 64, Standardize = true }.Build();

// 3. Train by maximum likelihood, printing progress every 100 steps.
var trainer = new Trainer(new TrainerOptions { Steps = steps, BatchSize = 256, EvalEvery = 500, LogEvery = 100 })
{
    OnProgress = p => Console.WriteLine(
        $"step {p.Step,5}/{p.TotalSteps}  loss {p.Loss,7:F3} nats  validation {p.ValidationLoss,7:F3}  " +
        $"{p.StepsPerSecond,4:F0} steps/s  eta {p.Eta:mm\\:ss}"),
};
TrainResult result = trainer.Fit(flow, new MaximumLikelihood(data, CPU), CPU);
Console.WriteLine($"trained {result.Steps} steps in {result.TrainSeconds:F0} s");

// 4. Exact log-likelihood of held-out rows, and new rows drawn from the flow.
MeanEstimate nll = Evaluator.NegativeLogLikelihood(flow, data.Test, CPU);
Console.WriteLine($"test NLL: {nll.Mean:F3} ± {nll.StandardError:F3} nats per row");
using (no_grad())
{
    Tensor logp = flow.LogProb(tensor(new float[,] { { 0f, 1f, 0f }, { 0f, 1f, 1f } }));    // [2] nats
    Console.WriteLine($"log p of a typical row: {logp[0].item<float>():F2}, of an unusual one: {logp[1].item<float>():F2}");
    Tensor samples = flow.Sample(5);                                  // [5, 3]
    float[] values = samples.data<float>().ToArray();
    for (int i = 0; i < 5; i++) Console.WriteLine($"sample {i}: {values[3 * i]:F3} {values[3 * i + 1]:F3} {values[3 * i + 2]:F3}");
}

// 5. Save, and load again later with DensityModel.Load.
flow.Save("own-data-flow");
using DensityModel again = DensityModel.Load("own-data-flow");
Console.WriteLine($"saved to own-data-flow ({again.ParameterCount:N0} parameters)");

// Stands in for your own loader: points near a unit circle, and a third value that follows the angle.
static float[,] Measurements(int n, int seed)
{
    var random = new Random(seed);
    var rows = new float[n, 3];
    for (int i = 0; i < n; i++)
    {
        double angle = 2 * Math.PI * random.NextDouble(), radius = 1 + 0.1 * Gaussian(random);
        rows[i, 0] = (float)(radius * Math.Cos(angle));
        rows[i, 1] = (float)(radius * Math.Sin(angle));
        rows[i, 2] = (float)(Math.Sin(2 * angle) + 0.1 * Gaussian(random));
    }
    return rows;
}

static double Gaussian(Random random) =>
    Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
