using Spectre.Console;

namespace Tractable.Tests.Support;

/// <summary>What a command prints, through Spectre.Console and plain <see cref="Console.Out"/> alike.</summary>
public static class ConsoleCapture
{
    /// <summary>Runs <paramref name="action"/> and returns everything it wrote to the console.</summary>
    public static string Of(Action action)
    {
        var output = new StringWriter();
        TextWriter previous = Console.Out;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        Console.SetOut(output);
        try
        {
            action();
        }
        finally
        {
            Console.SetOut(previous);
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings());
        }
        return output.ToString();
    }
}
