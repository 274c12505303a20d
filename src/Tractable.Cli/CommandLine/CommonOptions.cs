namespace Tractable.Cli.CommandLine;

/// <summary>Options every command that runs a model accepts.</summary>
public static class CommonOptions
{
    /// <summary><c>--device</c>, <c>--threads</c> and <c>--config</c>; the device defaults to the run's (or cpu).</summary>
    public static readonly OptionSpec[] Runtime =
    [
        new("device", "cpu or cuda (default: the run's, else cpu)"),
        new("threads", "CPU threads (default: all cores)"),
        new("config", "JSON file with any of these options"),
    ];
}
