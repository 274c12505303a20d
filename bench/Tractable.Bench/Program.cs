using Spectre.Console;
using Tractable.Bench;
using Tractable.Bench.Race;
using Tractable.Runtime;
using static TorchSharp.torch;

// dotnet run -c Release --project bench/Tractable.Bench -- [suite ...] [--seconds S] [--threads T] [--rounds R] [--cases a,b] [--rows train,density]
// dotnet run -c Release --project bench/Tractable.Bench -- fuzz [--cases N] [--seed SEED] [--target NAME] [--bound S]
NativeBackend.EnsureLoaded();
if (args.Length > 0 && args[0] == "fuzz")
{
    set_num_threads(1);
    return FuzzCommand.Run(args[1..]);
}
var race = new RaceSuite((int)Option("--rounds", 3), Text("--cases")?.Split(',', StringSplitOptions.RemoveEmptyEntries),
    Text("--rows")?.Split(',', StringSplitOptions.RemoveEmptyEntries));
IBenchmarkSuite[] suites = [new RealNvpBenchmark(), new AutoregressiveBenchmark(), new PixelCnnBenchmark(), new PixelRnnBenchmark(), new WaveNetBenchmark(),
    new KindsBenchmark(), new VaeBenchmark(), new OptimizerBenchmark((int)Option("--rounds", 3)), new WaveNetStepBenchmark((int)Option("--rounds", 3)),
    new GlowCouplingBenchmark((int)Option("--rounds", 3)), race];

double seconds = Option("--seconds", 5);
set_num_threads((int)Option("--threads", Environment.ProcessorCount));
string[] flags = ["--seconds", "--threads", "--rounds", "--cases", "--rows"];
if (args.FirstOrDefault(a => a.StartsWith("--") && !flags.Contains(a)) is { } flag)
{
    AnsiConsole.WriteLine($"Unknown option {flag}. Options: {string.Join(", ", flags)}, each with a value; suites by name.");
    return 2;
}
string[] chosen = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || !args[i - 1].StartsWith("--"))).ToArray();
var unknown = chosen.Except(suites.Select(s => s.Name)).ToArray();
if (unknown.Length > 0)
{
    AnsiConsole.WriteLine($"Unknown suite(s): {string.Join(", ", unknown)}. Suites:");
    foreach (var s in suites) AnsiConsole.WriteLine($"  {s.Name,-12} {s.Description}");
    return 2;
}
// The race needs PyTorch and takes long: it runs only when named.
foreach (var suite in suites.Where(s => chosen.Length == 0 ? s != race : chosen.Contains(s.Name)))
{
    AnsiConsole.MarkupLine($"[bold]{suite.Name}[/]: {Markup.Escape(suite.Description)}");
    suite.Run(seconds);
}
AnsiConsole.WriteLine($"threads {get_num_threads()}, about {seconds} s per measurement, libtorch CPU, {Environment.ProcessorCount} cores");
return 0;

double Option(string name, double fallback) =>
    Text(name) is { } value ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

string? Text(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
