namespace Tractable.Cli.CommandLine;

/// <summary>A sub-command of <c>tractable</c>.</summary>
public interface ICommand
{
    /// <summary>The word that selects it.</summary>
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>Usage examples shown in <c>--help</c>.</summary>
    string[] Examples { get; }

    /// <summary>The options it accepts.</summary>
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>The options to show in <c>--help</c> for a command line <paramref name="args"/> (e.g. a model's own).</summary>
    IReadOnlyList<OptionSpec> HelpFor(IReadOnlyList<string> args) => Options;

    /// <summary>Runs it; returns the exit code.</summary>
    int Run(ParsedArguments args, CancellationToken cancellation);
}
