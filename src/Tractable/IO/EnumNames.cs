using System.Reflection;
using System.Text;

namespace Tractable.IO;

/// <summary>
/// The one place where the names of closed sets (activations, orders, maps, …) are read and written. A member is
/// written in lower case with words joined by '-' (<c>DiagonalNormal</c> → <c>diagonal-normal</c>), which is how
/// configurations and command lines spell it. Reading ignores case, '-' and '_', and accepts the older spellings a
/// member declares with <see cref="EnumAliasAttribute"/>.
/// </summary>
public static class EnumNames
{
    /// <summary>
    /// The member of <typeparamref name="T"/> called <paramref name="value"/>; an <see cref="UnknownNameException"/>
    /// naming <paramref name="settingName"/> and the accepted names otherwise.
    /// </summary>
    /// <param name="value">The name to read, e.g. <c>"Diagonal_Normal"</c>.</param>
    /// <param name="settingName">The setting being read, for the error (e.g. <c>"activation"</c>).</param>
    public static T Parse<T>(string? value, string settingName) where T : struct, Enum =>
        TryParse(value, out T result) ? result : throw new UnknownNameException(settingName, value, Names<T>());

    /// <summary>Whether <paramref name="value"/> names a member of <typeparamref name="T"/> (then <paramref name="result"/> is it).</summary>
    public static bool TryParse<T>(string? value, out T result) where T : struct, Enum
    {
        result = default;
        return value is not null && Table<T>.ByKey.TryGetValue(Key(value), out result);
    }

    /// <summary>The written name of <paramref name="value"/>, e.g. <c>diagonal-normal</c>.</summary>
    public static string NameOf<T>(T value) where T : struct, Enum =>
        Table<T>.NameByMember.TryGetValue(value, out string? name)
            ? name
            : throw new ArgumentException($"{value} is not a single member of {typeof(T).Name}.", nameof(value));

    /// <summary>The written names of every member of <typeparamref name="T"/>, in declaration order (aliases excluded).</summary>
    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => Table<T>.Names;

    /// <summary>The written form of a member called <paramref name="memberName"/>: lower case, words joined by '-'.</summary>
    public static string Written(string memberName)
    {
        var b = new StringBuilder(memberName.Length + 4);
        for (int i = 0; i < memberName.Length; i++)
        {
            char c = memberName[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(memberName[i - 1]) || i + 1 < memberName.Length && char.IsLower(memberName[i + 1])))
                b.Append('-');
            b.Append(char.ToLowerInvariant(c));
        }
        return b.ToString();
    }

    /// <summary>What names are compared by: lower case without '-' and '_'.</summary>
    private static string Key(string name) => name.Replace("-", "").Replace("_", "").Trim().ToLowerInvariant();

    /// <summary>The names of one enum type, built once.</summary>
    private static class Table<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> NameByMember = [];
        public static readonly Dictionary<string, T> ByKey = [];
        public static readonly IReadOnlyList<string> Names;

        static Table()
        {
            foreach (FieldInfo field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var member = (T)field.GetValue(null)!;
                string name = Written(field.Name);
                NameByMember.TryAdd(member, name);
                Add(name, member);
                foreach (EnumAliasAttribute alias in field.GetCustomAttributes<EnumAliasAttribute>()) Add(alias.Alias, member);
            }
            Names = [.. NameByMember.Values];
        }

        private static void Add(string name, T member)
        {
            if (!ByKey.TryAdd(Key(name), member) && !ByKey[Key(name)].Equals(member))
                throw new InvalidOperationException($"{typeof(T).Name}: the name '{name}' stands for two members.");
        }
    }
}
