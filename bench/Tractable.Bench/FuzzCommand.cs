using CsCheck;
using Spectre.Console;
using Tractable.Fuzzing;

namespace Tractable.Bench;

/// <summary>
/// The long fuzz run over every reader: <c>fuzz [--cases N] [--seed SEED] [--target NAME] [--bound SECONDS]</c>. Cases
/// are drawn by CsCheck; a failing case is shrunk to the fewest, smallest mutations that still fail, and CsCheck's
/// seed is printed, so that <c>--seed</c> replays it.
/// </summary>
public static class FuzzCommand
{
    /// <summary>Runs the fuzzer; returns the exit code (0: every case loaded or was refused clearly).</summary>
    public static int Run(string[] args)
    {
        long cases = (long)Option(args, "--cases", 1000);
        TimeSpan bound = TimeSpan.FromSeconds(Option(args, "--bound", 30));
        string? seed = Text(args, "--seed");
        string? only = Text(args, "--target");
        var targets = FuzzTargets.All.Where(t => only is null || t.Name == only).ToList();
        if (targets.Count == 0)
        {
            AnsiConsole.WriteLine($"Unknown target '{only}'. Targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
            return 2;
        }
        var table = new Table().AddColumns("target", "cases", "loaded", "refused", "seconds");
        int failures = 0;
        foreach (FuzzTarget target in targets)
        {
            using var fuzzer = new ReaderFuzzer(target, bound);
            int loaded = 0, refused = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                // One thread: the cases of a target share its folder.
                Mutations.Case.Sample(m =>
                {
                    if (fuzzer.Check(m) == FuzzOutcome.Loaded) Interlocked.Increment(ref loaded);
                    else Interlocked.Increment(ref refused);
                }, seed: seed, iter: cases, threads: 1, print: m => string.Join(", ", m.Select(x => x.ToString())));
            }
            catch (Exception e)
            {
                failures++;
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(target.Name)}[/]: {Markup.Escape(e.Message)}");
                if (e.InnerException is { } cause) AnsiConsole.WriteLine(cause.Message);
            }
            table.AddRow(Markup.Escape(target.Name), cases.ToString(), loaded.ToString(), refused.ToString(), $"{clock.Elapsed.TotalSeconds:F1}");
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(failures == 0 ? "Every case loaded or was refused with a clear error." : $"{failures} target(s) failed.");
        return failures == 0 ? 0 : 1;
    }

    private static string? Text(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static double Option(string[] args, string name, double fallback) =>
        Text(args, name) is string s ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
