using System.Text.Json;

namespace Tractable.Cli.CommandLine;

/// <summary>How the command line spells the library's setting names (model options, trainer option properties).</summary>
public static class FlagNames
{
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["LearningRate"] = "lr", ["WarmupSteps"] = "warmup", ["ClipGradNorm"] = "clip", ["AverageDecay"] = "ema",
        ["MinLearningRateFactor"] = "min-lr-factor", ["CheckpointEvery"] = "checkpoint-every", ["count"] = "n", ["MissingValues"] = "missing",
        ["HeldOutLimit"] = "eval-limit",
    };

    /// <summary>The flag for library setting <paramref name="setting"/> (<c>BatchSize</c> → <c>--batch-size</c>).</summary>
    public static string Of(string setting)
    {
        string flag = Renamed.TryGetValue(setting, out string? renamed) ? renamed : JsonNamingPolicy.KebabCaseLower.ConvertName(setting);
        return (flag.Length == 1 ? "-" : "--") + flag;
    }
}
