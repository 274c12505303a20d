using System.Diagnostics;

namespace Tractable.Bench;

/// <summary>A named group of measurements that prints its own table.</summary>
public interface IBenchmarkSuite
{
    /// <summary>The name given on the command line.</summary>
    string Name { get; }

    /// <summary>What it measures.</summary>
    string Description { get; }

    /// <summary>Runs the measurements, about <paramref name="seconds"/> each.</summary>
    void Run(double seconds);
}

/// <summary>Timing helpers shared by the suites.</summary>
public static class Timing
{
    /// <summary>Calls of <paramref name="step"/> per second over about <paramref name="seconds"/>, after a warm-up.</summary>
    public static double Rate(double seconds, Action step, int warmup = 3)
    {
        for (int i = 0; i < warmup; i++) step();
        var clock = Stopwatch.StartNew();
        long n = 0;
        while (clock.Elapsed.TotalSeconds < seconds || n == 0)
        {
            step();
            n++;
        }
        return n / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Calls of <paramref name="step"/> over about <paramref name="seconds"/> of wall-clock time after a warm-up, with the
    /// wall-clock and the process's CPU seconds they took. On a machine loaded by others the CPU time of a one-thread
    /// run still measures the work done, where the wall-clock time also counts the waits for a core.
    /// </summary>
    public static Throughput Measure(double seconds, Action step, int warmup = 3)
    {
        for (int i = 0; i < warmup; i++) step();
        using var self = Process.GetCurrentProcess();
        TimeSpan cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long n = 0;
        while (clock.Elapsed.TotalSeconds < seconds || n == 0)
        {
            step();
            n++;
        }
        double wall = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return new Throughput(n, wall, (self.TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>Seconds taken by one call of <paramref name="action"/>.</summary>
    public static double Seconds(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}

/// <summary>Two ways of doing the same work measured interleaved, A B A B, so that a changing load hits both alike.</summary>
public static class Interleaved
{
    /// <summary>The header of the rows <see cref="Row"/> prints, after <paramref name="leading"/> columns.</summary>
    public static string Header(string leading, string first, string second) =>
        $"| {leading} | {first}/s | {second}/s | ratio | per-round ratios | ratio of CPU time |\n|{string.Concat(Enumerable.Repeat("---|", leading.Split('|').Length + 5))}";

    /// <summary>
    /// Measures <paramref name="first"/> and <paramref name="second"/> for <paramref name="rounds"/> rounds of about
    /// <paramref name="seconds"/> each and returns a table row: the median rate of each (times <paramref name="items"/>),
    /// the ratio second / first, its range over the rounds, and the ratio of the rates per CPU second.
    /// </summary>
    public static string Row(string leading, int rounds, double seconds, Action first, Action second, long items = 1, int warmup = 2)
    {
        var a = new List<Throughput>();
        var b = new List<Throughput>();
        for (int round = 0; round < rounds; round++)
        {
            a.Add(Timing.Measure(seconds, first, warmup));
            b.Add(Timing.Measure(seconds, second, warmup));
        }
        double Median(IEnumerable<double> v) => v.Order().ElementAt(rounds / 2);
        double ma = Median(a.Select(t => t.PerWallSecond)), mb = Median(b.Select(t => t.PerWallSecond));
        double cpu = Median(b.Select(t => t.PerCpuSecond)) / Median(a.Select(t => t.PerCpuSecond));
        var ratios = b.Zip(a, (p, q) => p.PerWallSecond / q.PerWallSecond).ToArray();
        return $"| {leading} | {ma * items:N1} | {mb * items:N1} | {mb / ma:F2} | {ratios.Min():F2}–{ratios.Max():F2} | {cpu:F2} |";
    }
}

/// <summary>A number of calls and the wall-clock and CPU seconds they took.</summary>
/// <param name="Calls">Calls made.</param>
/// <param name="WallSeconds">Wall-clock seconds.</param>
/// <param name="CpuSeconds">CPU seconds of the whole process (all threads).</param>
public sealed record Throughput(long Calls, double WallSeconds, double CpuSeconds)
{
    /// <summary>Calls per wall-clock second.</summary>
    public double PerWallSecond => Calls / WallSeconds;

    /// <summary>Calls per CPU second.</summary>
    public double PerCpuSecond => Calls / CpuSeconds;
}

/// <summary>
/// The process's peak resident set from the kernel's high-water mark (<c>VmHWM</c>), reset when sampling starts, so
/// nothing runs alongside the measured work: a thread polling the resident set every 5 ms took about 11% of a core
/// (docs/benchmarks.md), and PyTorch's side of the race reads its own high-water mark the same way
/// (<c>getrusage</c>).
/// </summary>
public sealed class PeakMemorySampler : IDisposable
{
    /// <summary>Starts sampling: resets the high-water mark to the current resident set where Linux allows it.</summary>
    public PeakMemorySampler()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // No reset: the peak since the process started.
        }
    }

    /// <summary>The largest resident set since sampling started, in MiB.</summary>
    public double PeakMiB
    {
        get
        {
            using var self = Process.GetCurrentProcess();
            return self.PeakWorkingSet64 / (1024.0 * 1024.0);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
