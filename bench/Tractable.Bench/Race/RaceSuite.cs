using System.Globalization;
using Spectre.Console;
using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Bench.Race;

/// <summary>
/// The race against PyTorch: each <see cref="RaceCase"/> is built on both sides (Tractable here, the PyTorch twin in
/// <c>bench/peer/peer.py</c>), the parameter counts are checked equal, and every row is measured interleaved,
/// Tractable then PyTorch, for <c>rounds</c> rounds of about <c>seconds</c> each after a warm-up, on the same number of
/// threads. The table gives the median throughput of each side and the ratio Tractable / PyTorch (above 1: Tractable
/// is faster), with the range of the per-round ratios, the load average before and after, and each side's peak
/// resident memory over the case. <c>rowKinds</c> (e.g. <c>train, density</c>) limits each case to the rows of those
/// kinds, for a quicker rerun of some rows.
/// </summary>
public sealed class RaceSuite(int rounds, IReadOnlyCollection<string>? cases, IReadOnlyCollection<string>? rowKinds = null) : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "race";

    /// <inheritdoc />
    public string Description => "Tractable vs PyTorch (bench/peer) on the reference architectures, interleaved: train, density, sampling";

    /// <summary>The optimizer of the training rows: the one <see cref="Training.Trainer"/> uses, at a small learning rate.</summary>
    public static optim.Optimizer CreateOptimizer(DensityModel model) => new Training.AdamW(model.parameters(), 1e-4, weightDecay: 0);

    /// <inheritdoc />
    public void Run(double seconds)
    {
        string? python = PeerProcess.FindPython();
        string? script = PeerProcess.FindScript();
        if (python is null || script is null)
        {
            AnsiConsole.MarkupLine(python is null
                ? "[red]No Python with PyTorch found.[/] Install it (Debian/Ubuntu): apt-get install python3-torch libopenblas0-openmp; or set TRACTABLE_PEER_PYTHON."
                : "[red]bench/peer/peer.py not found[/]: run from the repository.");
            return;
        }
        int threads = get_num_threads();
        var unknown = (cases ?? []).Except(RaceCase.All.Select(c => c.Name)).ToArray();
        if (unknown.Length > 0)
        {
            AnsiConsole.WriteLine($"Unknown race case(s): {string.Join(", ", unknown)}; cases: {string.Join(", ", RaceCase.All.Select(c => c.Name))}.");
            return;
        }
        string[] kinds = RaceCase.All.SelectMany(c => c.Rows).Select(RowKind).Distinct().ToArray();
        var unknownKinds = (rowKinds ?? []).Except(kinds).ToArray();
        if (unknownKinds.Length > 0)
        {
            AnsiConsole.WriteLine($"Unknown row kind(s): {string.Join(", ", unknownKinds)}; kinds: {string.Join(", ", kinds)}.");
            return;
        }
        string loadBefore = LoadAverage();
        var lines = new List<string>
        {
            "| case | row | unit | Tractable /s | PyTorch /s | ratio | per-round ratios | ratio of CPU time | peak RSS MiB (Tractable / PyTorch) |",
            "|---|---|---|---|---|---|---|---|---|",
        };
        string? peerInfo = null;
        foreach (RaceCase raceCase in RaceCase.All.Where(c => cases is null || cases.Count == 0 || cases.Contains(c.Name)))
        {
            var result = RunCase(raceCase, python, script, threads, seconds, ref peerInfo);
            foreach (string line in result) Console.WriteLine(line);      // each case's rows as soon as it is done
            lines.AddRange(result);
        }
        string loadAfter = LoadAverage();
        foreach (string line in lines) Console.WriteLine(line);          // plain rows: never wrapped to the terminal width
        Console.WriteLine($"threads {threads}, {rounds} rounds of ~{seconds} s per row and side (A B A B), medians; ratio = Tractable / PyTorch throughput");
        Console.WriteLine("ratio of CPU time: the same ratio per CPU second of each process (meaningful at one thread, where it discounts waiting for a core on a loaded machine)");
        Console.WriteLine($"load average before: {loadBefore}; after: {loadAfter}");
        if (peerInfo is not null) Console.WriteLine($"PyTorch side: {peerInfo}");
    }

    private List<string> RunCase(RaceCase raceCase, string python, string script, int threads, double seconds, ref string? peerInfo)
    {
        var lines = new List<string>();
        using var memory = new PeakMemorySampler();
        manual_seed(0);
        using DensityModel model = raceCase.Build();
        using PeerProcess peer = PeerProcess.Start(python, script, raceCase.Name, threads);
        peerInfo ??= $"torch {peer.Hello.GetProperty("torch").GetString()}, {peer.Hello.GetProperty("threads").GetInt32()} threads, BLAS {peer.Hello.GetProperty("blas").GetString()}";
        long ours = model.ParameterCount, theirs = peer.Parameters;
        Console.WriteLine($"{raceCase.Name}: {raceCase.Description}; parameters {ours:N0} (Tractable) / {theirs:N0} (PyTorch)");
        if (ours != theirs)
        {
            AnsiConsole.MarkupLine($"[red]{raceCase.Name}: parameter counts differ; not raced.[/]");
            lines.Add($"| {raceCase.Name} | (parameter counts differ: {ours:N0} vs {theirs:N0}) | | | | | | | |");
            return lines;
        }
        optim.Optimizer? optimizer = null;
        string[] rows = raceCase.Rows.Where(r => rowKinds is null || rowKinds.Count == 0 || rowKinds.Contains(RowKind(r))).ToArray();
        var steps = rows.ToDictionary(r => r, r => CreateStep(raceCase, model, r, ref optimizer));
        var ourRates = rows.ToDictionary(r => r, _ => new List<Throughput>());
        var theirRates = rows.ToDictionary(r => r, _ => new List<Throughput>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (string row in rows)
            {
                var (step, items, warmup, training) = steps[row];
                model.train(training);
                Throughput t = Timing.Measure(seconds, step, warmup);
                ourRates[row].Add(t with { Calls = t.Calls * items });
                theirRates[row].Add(peer.Measure(row, seconds, warmup));
            }
        }
        double theirPeak = peer.Quit();
        double ourPeak = memory.PeakMiB;
        optimizer?.Dispose();
        foreach (string row in rows)
        {
            double a = Median(ourRates[row].Select(r => r.PerWallSecond)), b = Median(theirRates[row].Select(r => r.PerWallSecond));
            double cpu = Median(ourRates[row].Select(r => r.PerCpuSecond)) / Median(theirRates[row].Select(r => r.PerCpuSecond));
            var perRound = ourRates[row].Zip(theirRates[row], (x, y) => x.PerWallSecond / y.PerWallSecond).ToArray();
            string unit = row.StartsWith("generate") ? "samples" : "examples";
            lines.Add($"| {raceCase.Name} | {row} | {unit} | {a:N0} | {b:N0} | {a / b:F2} | {perRound.Min():F2}–{perRound.Max():F2} | {cpu:F2} | {ourPeak:F0} / {theirPeak:F0} |");
        }
        return lines;
    }

    /// <summary>The kind of a row, its name before the batch size: <c>train</c> of <c>train:64</c>.</summary>
    private static string RowKind(string row) => row.Split(':')[0];

    private static (Action Step, long Items, int Warmup, bool Training) CreateStep(RaceCase raceCase, DensityModel model, string row, ref optim.Optimizer? optimizer)
    {
        string kind = row.Split(':')[0];
        long batch = long.Parse(row.Split(':')[1], CultureInfo.InvariantCulture);
        switch (kind)
        {
            case "train":
            {
                Tensor x = raceCase.Data(batch);
                optim.Optimizer opt = optimizer ??= CreateOptimizer(model);
                return (() =>
                {
                    using var scope = NewDisposeScope();
                    opt.zero_grad();
                    (-model.LogProb(x).mean()).backward();
                    opt.step();
                }, batch, 2, true);
            }
            case "density":
            {
                Tensor x = raceCase.Data(batch);
                return (() =>
                {
                    using var scope = NewDisposeScope();
                    using var _ = no_grad();
                    model.LogProb(x).sum().item<float>();
                }, batch, 2, false);
            }
            case "sample":
                return (() =>
                {
                    using var scope = NewDisposeScope();
                    using var _ = no_grad();
                    model.Sample(batch).sum().item<float>();
                }, batch, 1, false);
            case "generate-fast" or "generate-naive":
            {
                var wavenet = (WaveNet)model;
                long length = RaceCase.GeneratedSamples(kind);
                bool fast = kind == "generate-fast";
                return (() =>
                {
                    using var scope = NewDisposeScope();
                    wavenet.Generate(batch, length, fast);
                }, batch * length, 1, false);
            }
            default:
                throw new ArgumentException($"Unknown race row '{row}'.");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
