using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Commands;
using Tractable.Data;
using Tractable.Runtime;
using Tractable.Transforms;

namespace Tractable.Cli;

/// <summary>The <c>tractable</c> command line: dispatch, help, and the mapping of input errors to exit code 2.</summary>
public static class TractableCli
{
    /// <summary>The commands, in the order help lists them.</summary>
    public static readonly ICommand[] Commands = [new DemoCommand(), new TrainCommand(), new EvalCommand(), new SampleCommand(), new InterpolateCommand(), new CurveCommand()];

    /// <summary>Runs the command line <paramref name="args"/>; returns the exit code (0 success, 1 failure, 2 bad input).</summary>
    public static int Run(string[] args, CancellationToken cancellation = default)
    {
        NativeBackend.EnsureLoaded();
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            HelpPrinter.PrintCommands(Commands);
            return args.Length == 0 ? 2 : 0;
        }
        ICommand? command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            AnsiConsole.MarkupLine($"[red]Unknown command '{Markup.Escape(args[0])}'.[/]");
            HelpPrinter.PrintCommands(Commands);
            return 2;
        }
        string[] rest = args[1..];
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            HelpPrinter.PrintCommand(command);
            return 0;
        }
        try
        {
            var parsed = ParsedArguments.Parse(rest, command.Options);
            int threads = parsed.Has("threads") ? parsed.GetInt("threads")!.Value : Environment.ProcessorCount;
            TorchSharp.torch.set_num_threads(Math.Max(1, threads));
            return command.Run(parsed, cancellation);
        }
        catch (Exception e) when (e is UsageException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
                                      or DataFormatException or InvalidDataException or DirectionNotAvailableException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
        catch (Tractable.Training.TrainingDivergedException e)
        {
            AnsiConsole.MarkupLine($"[red]training failed:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }
}
