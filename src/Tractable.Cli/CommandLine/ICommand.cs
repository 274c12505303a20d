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

    /// <summary>Runs it; returns the exit code.</summary>
    int Run(ParsedArguments args, CancellationToken cancellation);
}
