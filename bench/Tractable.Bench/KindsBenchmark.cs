using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Tractable.Runs;

namespace Tractable.Bench;

/// <summary>
/// Every model kind's default run: <c>tractable train --model M --data D --steps 2</c> with no other flag on the kind's
/// usual data, in a child process whose peak resident memory (VmHWM) is read while it runs. Training and the final
/// evaluation are both inside the measured process; the evaluation scores one full evaluation batch of the test split
/// (<c>--eval-limit</c>), since memory peaks within a batch and more batches only take longer. Needs the CLI built in
/// Release (<c>dotnet build -c Release src/Tractable.Cli</c>).
/// </summary>
public sealed class KindsBenchmark : IBenchmarkSuite
{
    /// <inheritdoc />
    public string Name => "kinds";

    /// <inheritdoc />
    public string Description => "train --steps 2 with every kind's defaults on its usual data: peak resident memory and wall time";

    /// <summary>The data each kind is usually trained on, from the shape of its typical data.</summary>
    public static string UsualData(ModelKind kind) => kind.Accepts switch
    {
        DataKind.Energy => "u1",
        DataKind.Sequences => "speech:speech/en_US_f_Allison",
        _ when kind.TypicalData.EventShape.Length == 1 => "8gaussians",
        _ when kind.TypicalData.Levels == 2 => "mnist-binarized",
        _ => "mnist",
    };

    /// <inheritdoc />
    public void Run(double seconds)
    {
        string root = RepositoryRoot();
        string cli = Path.Combine(root, "src/Tractable.Cli/bin/Release/net10.0/Tractable.Cli.dll");
        if (!File.Exists(cli)) throw new FileNotFoundException($"Build the CLI first: dotnet build -c Release src/Tractable.Cli ({cli} is missing).");
        string dataDir = Path.GetFullPath(Path.Combine(root, "../shared/data"));
        var table = new Table().AddColumns("model", "data", "batch", "peak RSS (GB)", "wall (s)", "first progress (s)", "exit");
        string[] only = (Environment.GetEnvironmentVariable("KINDS_BENCH_ONLY") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (ModelKind kind in ModelRegistry.Kinds.Where(k => only.Length == 0 || only.Contains(k.Name)))
        {
            string data = UsualData(kind);
            string output = Directory.CreateTempSubdirectory("tractable-kinds-bench-").FullName;
            try
            {
                var defaults = kind.Defaults(kind.TypicalData).Trainer;
                int evaluationBatch = defaults.EvaluationBatchSize ?? Tractable.Evaluation.Evaluator.DefaultBatchSize;
                // Audio is scored file by file: its held-out files are short, and it takes no limit.
                string[] limit = kind.Accepts.HasFlag(DataKind.Examples) ? ["--eval-limit", evaluationBatch.ToString(CultureInfo.InvariantCulture)] : [];
                var (peak, wall, firstLine, exit) = Measure("dotnet", [cli, "train", "--model", kind.Name, "--data", data, "--data-dir", dataDir,
                    "--steps", "2", .. limit, "--out", Path.Combine(output, "run")]);
                int batch = defaults.BatchSize;
                table.AddRow(kind.Name, data, batch.ToString(CultureInfo.InvariantCulture), (peak / 1e9).ToString("F2", CultureInfo.InvariantCulture),
                    wall.ToString("F0", CultureInfo.InvariantCulture), firstLine.ToString("F0", CultureInfo.InvariantCulture), exit.ToString(CultureInfo.InvariantCulture));
                AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind.Name} on {data}: peak {peak / 1e9:F2} GB, {wall:F0} s, exit {exit}"));
            }
            finally
            {
                Directory.Delete(output, recursive: true);
            }
        }
        AnsiConsole.Write(table);
    }

    /// <summary>Runs a child process; returns its peak resident bytes, wall seconds, seconds to its first progress line, and exit code.</summary>
    private static (long Peak, double Wall, double FirstProgress, int Exit) Measure(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        double firstProgress = double.NaN;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Contains(" loss ", StringComparison.Ordinal) && double.IsNaN(firstProgress)) firstProgress = clock.Elapsed.TotalSeconds;
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        string status = $"/proc/{process.Id}/status";
        while (!process.WaitForExit(100))
        {
            try
            {
                foreach (string line in File.ReadLines(status))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                        peak = Math.Max(peak, 1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // The process ended between the check and the read.
            }
        }
        return (peak, clock.Elapsed.TotalSeconds, firstProgress, process.ExitCode);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tractable.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException("Run the benchmark from inside the repository.");
    }
}
