namespace Tractable.Cli.CommandLine;

/// <summary>A command line or configuration the user must correct; printed without a stack trace, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
