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
