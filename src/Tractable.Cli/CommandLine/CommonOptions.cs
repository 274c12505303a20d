namespace Tractable.Cli.CommandLine;

/// <summary>Options every command that runs a model accepts.</summary>
public static class CommonOptions
{
    /// <summary>The data directory when <c>--data-dir</c> is not given: the shared data beside this repository's checkout.</summary>
    public const string DefaultDataDirectory = "../shared/data";

    /// <summary>The run description of <paramref name="runDirectory"/>, with the default data directory where it names none.</summary>
    public static Tractable.Runs.RunSpec ReadSpec(string runDirectory)
    {
        Tractable.Runs.RunSpec spec = Tractable.Runs.RunSetup.ReadSpec(runDirectory);
        return spec with { DataDir = spec.DataDir ?? DefaultDataDirectory };
    }

    /// <summary><c>--device</c>, <c>--threads</c> and <c>--config</c>; the device defaults to the run's (or cpu).</summary>
    public static readonly OptionSpec[] Runtime =
    [
        new("device", "cpu or cuda (default: the run's, else cpu)"),
        new("threads", "CPU threads (default: all cores)"),
        new("config", "JSON file with any of these options"),
    ];

    /// <summary>The grid's <c>--scale</c>, or one that shows images of this size at least 96 pixels across.</summary>
    public static int GridScale(ParsedArguments args, TorchSharp.torch.Tensor images)
    {
        if (!args.Has("scale")) return Tractable.Runs.SampleGrid.AutomaticScale(images.shape[2], images.shape[3]);
        int scale = args.GetInt("scale")!.Value;
        if (scale is < 1 or > 64) throw new UsageException($"--scale must be a whole number from 1 to 64 (screen pixels per image pixel), got {scale}.");
        return scale;
    }

    /// <summary>
    /// The file <paramref name="path"/> that option <paramref name="name"/> names, checked to be writable before any
    /// work is done (<see cref="Tractable.IO.OutputLocation"/>); null stays null.
    /// </summary>
    public static string? OutputFile(string name, string? path) => CheckOutput(name, path, Tractable.IO.OutputLocation.EnsureFile);

    /// <summary>The folder <paramref name="path"/> that option <paramref name="name"/> names, checked like <see cref="OutputFile"/>.</summary>
    public static string? OutputFolder(string name, string? path) => CheckOutput(name, path, Tractable.IO.OutputLocation.EnsureFolder);

    private static string? CheckOutput(string name, string? path, Action<string> check)
    {
        if (path is null) return null;
        try
        {
            check(path);
        }
        catch (Tractable.IO.UnwritableOutputException e)
        {
            throw new UsageException($"--{name}: {e.Message}");
        }
        return path;
    }
}
