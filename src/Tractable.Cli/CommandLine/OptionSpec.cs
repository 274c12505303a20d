namespace Tractable.Cli.CommandLine;

/// <summary>One option a command accepts: its name (without dashes), help text, default, and whether it is a bare flag.</summary>
public sealed record OptionSpec(string Name, string Help, string? Default = null, bool IsFlag = false, string? Alias = null);
