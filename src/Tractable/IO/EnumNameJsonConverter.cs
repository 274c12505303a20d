using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tractable.IO;

/// <summary>
/// Writes enums as their <see cref="EnumNames.NameOf{T}"/> names and reads them through <see cref="EnumNames.Parse{T}"/>,
/// so JSON files keep the names that earlier files hold and accept the same spellings as every other reader.
/// </summary>
public sealed class EnumNameJsonConverter : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly string Setting = EnumNames.Written(typeof(T).Name).Replace('-', ' ');

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
                throw new JsonException($"Expected the name of a {Setting}, one of: {string.Join(", ", EnumNames.Names<T>())}.");
            return Parse(reader.GetString());
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(EnumNames.NameOf(value));

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Parse(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WritePropertyName(EnumNames.NameOf(value));

        /// <summary>Reads a name; an unknown one becomes a <see cref="JsonException"/>, to which the reader adds the path.</summary>
        private static T Parse(string? name)
        {
            try
            {
                return EnumNames.Parse<T>(name, Setting);
            }
            catch (UnknownNameException e)
            {
                throw new JsonException(e.Message, e);
            }
        }
    }
}
