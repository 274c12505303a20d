using System.Globalization;
using System.Text.Json;

namespace Tractable.Cli.CommandLine;

/// <summary>
/// The options of one command, from <c>--name value</c>, <c>--name=value</c>, bare flags, and a JSON file given
/// with <c>--config FILE</c> whose keys are the same option names (flags on the command line win).
/// </summary>
public sealed class ParsedArguments
{
    private readonly Dictionary<string, string> values;
    private readonly IReadOnlyList<OptionSpec> specs;

    private ParsedArguments(Dictionary<string, string> values, IReadOnlyList<OptionSpec> specs)
    {
        this.values = values;
        this.specs = specs;
    }

    /// <summary>Parses <paramref name="args"/> against <paramref name="specs"/>; unknown options are an error.</summary>
    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs)
    {
        var fromCommandLine = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < args.Count; i++)
        {
            string token = args[i];
            if (!token.StartsWith('-') || token == "-" )
                throw new UsageException($"Unexpected argument '{token}'. Options look like --name value.");
            string name = token.TrimStart('-');
            string? inline = null;
            int eq = name.IndexOf('=');
            if (eq >= 0) (name, inline) = (name[..eq], name[(eq + 1)..]);
            OptionSpec spec = Find(specs, name);
            string value;
            if (inline is not null) value = inline;
            else if (spec.IsFlag && (i + 1 >= args.Count || !IsBool(args[i + 1]))) value = "true";
            else if (i + 1 < args.Count) value = args[++i];
            else throw new UsageException($"Option --{spec.Name} needs a value.");
            fromCommandLine[spec.Name] = value;
        }

        var merged = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (fromCommandLine.TryGetValue("config", out string? configPath))
            foreach (var (key, value) in ReadConfig(configPath, specs)) merged[key] = value;
        foreach (var (key, value) in fromCommandLine) merged[key] = value;
        return new ParsedArguments(merged, specs);
    }

    /// <summary>The names of the options given (on the command line or in the config file).</summary>
    public IEnumerable<string> Given => values.Keys;

    /// <summary>The value of <c>--<paramref name="name"/></c> in raw <paramref name="args"/>, before parsing (for help), or null.</summary>
    public static string? Peek(IReadOnlyList<string> args, string name)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--" + name && i + 1 < args.Count) return args[i + 1];
            if (args[i].StartsWith($"--{name}=", StringComparison.Ordinal)) return args[i][(name.Length + 3)..];
        }
        return null;
    }

    /// <summary>Whether the option was given.</summary>
    public bool Has(string name) => values.ContainsKey(name);

    /// <summary>The option's value, its default, or null.</summary>
    public string? Get(string name) =>
        values.TryGetValue(name, out string? v) ? v : specs.First(s => s.Name == name).Default;

    /// <summary>The option's value, required.</summary>
    public string Require(string name) => Get(name) ?? throw new UsageException($"Option --{name} is required.");

    /// <summary>An integer option.</summary>
    public int? GetInt(string name) => Get(name) is { } s
        ? int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new UsageException($"--{name} expects an integer, got '{s}'.")
        : null;

    /// <summary>A long integer option.</summary>
    public long? GetLong(string name) => Get(name) is { } s
        ? long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v
            : throw new UsageException($"--{name} expects an integer, got '{s}'.")
        : null;

    /// <summary>A floating-point option.</summary>
    public double? GetDouble(string name) => Get(name) is { } s
        ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new UsageException($"--{name} expects a number, got '{s}'.")
        : null;

    /// <summary>A boolean option (<c>true</c>/<c>false</c>).</summary>
    public bool? GetBool(string name) => Get(name) is { } s
        ? IsBool(s) ? bool.Parse(s) : throw new UsageException($"--{name} expects true or false, got '{s}'.")
        : null;

    private static bool IsBool(string s) => s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static OptionSpec Find(IReadOnlyList<OptionSpec> specs, string name)
    {
        string normalized = name.Replace('_', '-');
        return specs.FirstOrDefault(s => s.Name.Equals(normalized, StringComparison.OrdinalIgnoreCase)
                                         || (s.Alias is not null && s.Alias == name))
               ?? throw new UsageException($"Unknown option --{name}. Known: {string.Join(", ", specs.Select(s => "--" + s.Name))}.");
    }

    private static IEnumerable<(string, string)> ReadConfig(string path, IReadOnlyList<OptionSpec> specs)
    {
        if (!File.Exists(path)) throw new UsageException($"Config file not found: {path}");
        JsonElement root;
        try { root = JsonDocument.Parse(File.ReadAllText(path)).RootElement; }
        catch (JsonException e) { throw new UsageException($"{path}: not valid JSON ({e.Message})."); }
        if (root.ValueKind != JsonValueKind.Object) throw new UsageException($"{path}: expected a JSON object of option names and values.");
        foreach (JsonProperty p in root.EnumerateObject())
        {
            OptionSpec spec = Find(specs, p.Name);
            string value = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.Number => p.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw new UsageException($"{path}: option '{p.Name}' must be a string, number or boolean."),
            };
            yield return (spec.Name, value);
        }
    }
}
