using System.Text.Json;
using System.Text.RegularExpressions;

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

    /// <summary>
    /// <paramref name="message"/> with each data setting it names (<c>DataOptions.ImageSize</c>) spelled as its flag
    /// (<c>--image-size</c>) where <paramref name="flags"/> (option names, without dashes) has one.
    /// </summary>
    public static string InMessage(string message, IEnumerable<string> flags)
    {
        var known = new HashSet<string>(flags, StringComparer.OrdinalIgnoreCase);
        return Regex.Replace(message, @"DataOptions\.(\w+)", m => Of(m.Groups[1].Value) is string flag && known.Contains(flag[2..]) ? flag : m.Value);
    }
}
