using Spectre.Console;
using Tractable.Cli;

namespace Tractable.Tests.Support;

/// <summary>
/// The command line run in the test's process, with everything it prints captured in lines as wide as they come (no
/// wrapping, no colours). It swaps the global console: use it from tests of the sequential collection only.
/// </summary>
public static class InProcessCli
{
    /// <summary>Runs <paramref name="args"/>; returns the exit code and the output.</summary>
    public static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 100_000;
        TextWriter stdout = Console.Out;
        AnsiConsole.Console = console;
        Console.SetOut(output);
        try
        {
            int code = TractableCli.Run(args);
            return (code, output.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings());
        }
    }
}

/// <summary>A tiny RealNVP run on moons (2 couplings of 8 hidden units, 10 steps, checkpoints at 5 and 10), trained once for a test class.</summary>
public sealed class TinyRealNvpRun : IDisposable
{
    private readonly TempDirectory folder = new();

    /// <summary>Trains the run.</summary>
    public TinyRealNvpRun()
    {
        (int code, string output) = InProcessCli.Run("train", "--model", "realnvp", "--data", "moons", "--layers", "2", "--hidden", "8",
            "--steps", "10", "--eval-every", "5", "--checkpoint-every", "5", "--threads", "1", "--out", Path);
        Assert.True(code == 0, output);
    }

    /// <summary>The run folder.</summary>
    public string Path => folder.File("run");

    /// <inheritdoc />
    public void Dispose() => folder.Dispose();
}
