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
        // A null where the type says a value must be (a hand-edited "architecture": null), or a missing constructor
        // argument, is refused on reading rather than left for a NullReferenceException far from the file.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public static void Write<T>(string path, T value) =>
        AtomicFile.Write(path, tmp => File.WriteAllText(tmp, JsonSerializer.Serialize(value, Options)));

    /// <summary>
    /// Reads a <typeparamref name="T"/> from <paramref name="path"/>. A missing file is a
    /// <see cref="FileNotFoundException"/>; an empty, malformed or mistyped one a <see cref="CorruptFileException"/>
    /// naming the file and the first problem.
    /// </summary>
    public static T Read<T>(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"File not found: {path}", path);
        string text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text)) throw new CorruptFileException(path, "empty file.");
        try
        {
            return JsonSerializer.Deserialize<T>(text, Options)
                   ?? throw new CorruptFileException(path, "the JSON document is null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // JsonException: syntax, types and ranges; NotSupportedException: an abstract type without its
            // discriminator (a model.json without "model"); the others: values a type's own checks refuse.
            // A converter's own message lacks the location; the reader knows it.
            string at = e is JsonException { Path: { } where } && !e.Message.Contains(where, StringComparison.Ordinal) ? $" at {where}" : "";
            throw new CorruptFileException(path, $"not a valid {typeof(T).Name} ({OneLine(e.Message)}){at}", e);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
