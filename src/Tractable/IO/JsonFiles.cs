using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Tractable.IO;

/// <summary>The JSON conventions of every file Tractable writes: snake_case keys, indented, enums by their names (<see cref="EnumNames"/>).</summary>
public static class JsonFiles
{
    /// <summary>The shared serializer options.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new EnumNameJsonConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        AllowOutOfOrderMetadataProperties = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { Runs.ModelRegistry.DescribeConfigTypes } },
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Write<T>(string path, T value) =>
        AtomicFile.Write(path, tmp => File.WriteAllText(tmp, JsonSerializer.Serialize(value, Options)));

    /// <summary>Reads a <typeparamref name="T"/> from <paramref name="path"/>, with a clear error when it is missing or malformed.</summary>
    public static T Read<T>(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"File not found: {path}", path);
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                   ?? throw new InvalidDataException($"{path}: empty JSON document.");
        }
        catch (JsonException e)
        {
            // A converter's own message lacks the location; the reader knows it.
            string at = e.Path is { } p && !e.Message.Contains(p, StringComparison.Ordinal) ? $" at {p}" : "";
            throw new InvalidDataException($"{path}: not a valid {typeof(T).Name} ({e.Message}){at}", e);
        }
    }
}
