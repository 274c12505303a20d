using System.Reflection;
using System.Text.Json;

namespace Tractable.IO;

/// <summary>Marks another name an enum member is read from (a legacy spelling kept for files already written).</summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = true)]
public sealed class EnumAliasAttribute(string alias) : Attribute
{
    /// <summary>The other name.</summary>
    public string Alias { get; } = alias;
}

/// <summary>
/// The one place where names of closed sets (enums) are written and read: written in snake_case as every JSON file of
/// the library has them (<c>diagonal_normal</c>), read without regard to case, dashes or underscores, and under the
/// member's <see cref="EnumAliasAttribute"/> names.
/// </summary>
public static class EnumNames
{
    /// <summary>The written name of <paramref name="value"/>.</summary>
    public static string NameOf<T>(T value) where T : struct, Enum => NameOf(typeof(T), value);

    /// <summary>The written name of <paramref name="value"/> of enum type <paramref name="type"/>.</summary>
    public static string NameOf(Type type, object value) =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(Enum.GetName(type, value) ?? value.ToString()!);

    /// <summary>The written names of every member of <paramref name="type"/>.</summary>
    public static IReadOnlyList<string> NamesOf(Type type) =>
        Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToArray();

    /// <summary>Reads <paramref name="text"/> as a <typeparamref name="T"/>; <paramref name="setting"/> names what is read, for errors.</summary>
    public static T Parse<T>(string text, string setting) where T : struct, Enum => (T)Parse(typeof(T), text, setting);

    /// <summary>Reads <paramref name="text"/> as a member of enum <paramref name="type"/>.</summary>
    public static object Parse(Type type, string text, string setting) =>
        TryParse(type, text, out object? value)
            ? value
            : throw new InvalidSettingException(setting, $"Unknown {setting} '{text}'; expected one of: {string.Join(", ", NamesOf(type))}.");

    /// <summary>Reads <paramref name="text"/> as a member of <paramref name="type"/>, if it names one.</summary>
    public static bool TryParse(Type type, string text, out object value)
    {
        string key = Normalize(text);
        foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (Normalize(field.Name) == key || field.GetCustomAttributes<EnumAliasAttribute>().Any(a => Normalize(a.Alias) == key))
            {
                value = field.GetValue(null)!;
                return true;
            }
        }
        value = null!;
        return false;
    }

    private static string Normalize(string text) => text.Replace("-", "").Replace("_", "").Trim().ToLowerInvariant();
}
