using System.Diagnostics;
using Spectre.Console;
using Tractable.Models;
using Tractable.Runtime;
using TorchSharp;
using static TorchSharp.torch;

// Throughput and memory of RealNVP (8 couplings, MLP 2x256) at D = 2 and 64, batch 256 and 1024.
// Usage: dotnet run -c Release --project bench/Tractable.Bench [-- --seconds S --threads T]
NativeBackend.EnsureLoaded();
double seconds = ArgValue(args, "--seconds", 5);
set_num_threads((int)ArgValue(args, "--threads", Environment.ProcessorCount));

var table = new Table().AddColumns("D", "batch", "train steps/s", "train examples/s", "log-prob examples/s", "peak RSS (MiB)");
foreach (int d in new[] { 2, 64 })
foreach (int batch in new[] { 256, 1024 })
{
    using var sampler = new PeakMemorySampler();
    manual_seed(0);
    DensityModel model = new RealNvpConfig { Features = d, Couplings = 8, HiddenFeatures = 256, HiddenLayers = 2 }.Build();
    var optimizer = optim.Adam(model.parameters(), 1e-3);
    Tensor x = randn(batch, d);

    double trainRate = Measure(seconds, () =>
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = -model.LogProb(x).mean();
        loss.backward();
        optimizer.step();
    });
    double logProbRate;
    using (no_grad())
    {
        model.eval();
        logProbRate = Measure(seconds, () =>
        {
            using var scope = NewDisposeScope();
            model.LogProb(x).sum().item<float>();
        });
    }
    table.AddRow($"{d}", $"{batch}", $"{trainRate:F1}", $"{trainRate * batch:N0}", $"{logProbRate * batch:N0}", $"{sampler.PeakMiB:F0}");
}
AnsiConsole.Write(table);
AnsiConsole.WriteLine($"threads {get_num_threads()}, {seconds} s per measurement, libtorch CPU");

static double Measure(double seconds, Action step)
{
    for (int i = 0; i < 5; i++) step();                       // warm-up
    var clock = Stopwatch.StartNew();
    long n = 0;
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        step();
        n++;
    }
    return n / clock.Elapsed.TotalSeconds;
}

static double ArgValue(string[] args, string name, double fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

/// <summary>Samples the process's resident set every 5 ms and keeps the maximum.</summary>
sealed class PeakMemorySampler : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Thread thread;
    private long peak;

    public PeakMemorySampler()
    {
        thread = new Thread(() =>
        {
            using var self = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                self.Refresh();
                peak = Math.Max(peak, self.WorkingSet64);
                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        thread.Start();
    }

    public double PeakMiB => peak / (1024.0 * 1024.0);

    public void Dispose()
    {
        stop.Cancel();
        thread.Join();
    }
}
