using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Cli.Commands;
using Tractable.Cli.Runs;
using Tractable.Data;
using Tractable.Runtime;
using Tractable.Training;
using Tractable.Transforms;

namespace Tractable.Cli;

/// <summary>
/// The <c>tractable</c> command line: dispatch and help, and the one place where errors become exit codes: input the
/// user must correct exits 2 with one line, a run that failed exits 1, and a fault of the program exits 1 with a short
/// message (and the stack with <c>--verbose</c>).
/// </summary>
public static class TractableCli
{
    /// <summary>The commands, in the order help lists them.</summary>
    public static readonly ICommand[] Commands = [new DemoCommand(), new TrainCommand(), new EvalCommand(), new SampleCommand(), new InterpolateCommand(), new SpectrogramCommand(), new CurveCommand(), new CompareCommand(), new ExportCommand(), new ImportCommand()];

    /// <summary>The width given to Spectre.Console when the output is not a terminal: wide enough never to wrap a line.</summary>
    private const int UnwrappedWidth = 4096;

    /// <summary>Runs the command line <paramref name="args"/>; returns the exit code (0 success, 1 failure, 2 bad input).</summary>
    public static int Run(string[] args, CancellationToken cancellation = default)
    {
        bool verbose = args.Contains("--verbose");
        args = args.Where(a => a != "--verbose").ToArray();
        // In a log or a pipe, a message is one line: Spectre.Console would wrap it at an assumed 80 columns.
        if (Console.IsOutputRedirected && !AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = UnwrappedWidth;
        try
        {
            NativeBackend.EnsureLoaded();
            RankConsole.Join(); // Distributed hook: under mpirun, join the job; rank 0 alone prints
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
            RankConsole.Check(command.Name); // Distributed hook
            string[] rest = args[1..];
            if (rest.Contains("--help") || rest.Contains("-h"))
            {
                HelpPrinter.PrintCommand(command, command.HelpFor(rest));
                return 0;
            }
            var parsed = ParsedArguments.Parse(rest, command.Options);
            int threads = parsed.Has("threads") ? parsed.GetInt("threads")!.Value : Environment.ProcessorCount;
            if (threads < 1) throw new UsageException($"--threads must be at least 1, got {threads}.");
            TorchSharp.torch.set_num_threads(threads);
            return command.Run(parsed, cancellation);
        }
        catch (Exception e) when (IsUserError(e))
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(Describe(e))}");
            if (verbose) AnsiConsole.WriteLine(e.ToString());
            return 2;
        }
        catch (TrainingDivergedException e)
        {
            AnsiConsole.MarkupLine($"[red]failed:[/] {Markup.Escape(e.Message)}");
            if (verbose) AnsiConsole.WriteLine(e.ToString());
            return 1;
        }
        catch (Exception e)
        {
            AnsiConsole.MarkupLine($"[red]internal error:[/] {Markup.Escape($"{e.GetType().Name}: {e.Message}")}");
            if (verbose) AnsiConsole.WriteLine(e.ToString());
            else AnsiConsole.WriteLine("Run again with --verbose for the stack trace.");
            return 1;
        }
    }

    /// <summary>Whether <paramref name="e"/> is about the user's input (options, files, data) rather than the program.</summary>
    private static bool IsUserError(Exception e) => e is UsageException or InvalidSettingException or Tractable.IO.TractableInputException or DataFormatException
        or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UnauthorizedAccessException
        or IOException or DirectionNotAvailableException;

    /// <summary>One line for a user error; a library setting is named by its flag.</summary>
    private static string Describe(Exception e) => e is InvalidSettingException s && FlagNames.Of(s.Setting) is string flag
        ? $"{flag}: {s.Message}"
        : e.Message;
}
