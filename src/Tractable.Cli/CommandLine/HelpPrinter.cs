using Spectre.Console;

namespace Tractable.Cli.CommandLine;

/// <summary>Prints the command list and each command's options.</summary>
public static class HelpPrinter
{
    /// <summary>The list of commands.</summary>
    public static void PrintCommands(IEnumerable<ICommand> commands)
    {
        AnsiConsole.MarkupLine("[bold]tractable[/]: density models with an exact likelihood (flows, autoregressive models).");
        AnsiConsole.WriteLine("Usage: tractable <command> [options]    (tractable <command> --help for its options)\n");
        var table = new Table().NoBorder().HideHeaders().AddColumn("").AddColumn("");
        foreach (ICommand c in commands) table.AddRow($"[bold]{c.Name}[/]", Markup.Escape(c.Summary));
        AnsiConsole.Write(table);
    }

    /// <summary>One command's <paramref name="options"/> and examples.</summary>
    public static void PrintCommand(ICommand command, IReadOnlyList<OptionSpec> options)
    {
        AnsiConsole.MarkupLine($"[bold]tractable {command.Name}[/]: {Markup.Escape(command.Summary)}\n");
        var table = new Table().NoBorder().AddColumn("option").AddColumn("default").AddColumn("meaning");
        foreach (OptionSpec o in options)
        {
            string name = "--" + o.Name + (o.Alias is null ? "" : $", -{o.Alias}") + (o.IsFlag ? "" : " <value>");
            table.AddRow(Markup.Escape(name), Markup.Escape(o.Default ?? ""), Markup.Escape(o.Help));
        }
        AnsiConsole.Write(table);
        if (command.Examples.Length > 0)
        {
            AnsiConsole.MarkupLine("\n[bold]Examples[/]");
            foreach (string e in command.Examples) AnsiConsole.WriteLine("  " + e);
        }
        AnsiConsole.WriteLine("\nEvery option can also come from a JSON file: --config FILE.json with {\"option-name\": value, ...}.");
    }
}
