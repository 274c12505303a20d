using System.Text.Json;

namespace Tractable.Models;

/// <summary>Field checks shared by the configurations; each names the field as <c>model.json</c> spells it.</summary>
internal static class ConfigCheck
{
    /// <summary>The JSON name of the property called <paramref name="property"/> (snake_case).</summary>
    public static string Field(string property) => JsonNamingPolicy.SnakeCaseLower.ConvertName(property);

    /// <summary>A value in <c>[min, max]</c>.</summary>
    public static void InRange(string property, long value, long min, long max)
    {
        if (value < min || value > max)
            throw new InvalidConfigException(max >= int.MaxValue
                ? $"{Field(property)} must be at least {min}, got {value}."
                : $"{Field(property)} must be between {min} and {max}, got {value}.");
    }

    /// <summary>A count of layers (couplings, steps, blocks): 1 … <see cref="ModelLimits.MaxLayers"/>.</summary>
    public static void Layers(string property, long value) => InRange(property, value, 1, ModelLimits.MaxLayers);

    /// <summary>A width (features, hidden units, channels): 1 … <see cref="ModelLimits.MaxWidth"/>.</summary>
    public static void Width(string property, long value) => InRange(property, value, 1, ModelLimits.MaxWidth);

    /// <summary>An optional width (features of a context, classes): 0 … <see cref="ModelLimits.MaxWidth"/>.</summary>
    public static void OptionalWidth(string property, long value) => InRange(property, value, 0, ModelLimits.MaxWidth);

    /// <summary>A finite value in <c>[min, max)</c>.</summary>
    public static void InInterval(string property, double value, double min, double maxExclusive)
    {
        if (!(value >= min && value < maxExclusive))
            throw new InvalidConfigException($"{Field(property)} must be in [{min}, {maxExclusive}), got {value}.");
    }

    /// <summary>A member of its closed set (a number cast to an enum in a file is refused).</summary>
    public static void Defined<T>(string property, T value) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new InvalidConfigException($"{Field(property)} must be one of {string.Join(", ", IO.EnumNames.Names<T>())}, got '{value}'.");
    }

    /// <summary>The product of <paramref name="factors"/>, saturating at <see cref="long.MaxValue"/> instead of overflowing.</summary>
    public static long Product(params long[] factors)
    {
        long result = 1;
        foreach (long f in factors)
        {
            if (f <= 0) return 0;
            result = result > long.MaxValue / f ? long.MaxValue : result * f;
        }
        return result;
    }

    /// <summary>The sum of <paramref name="terms"/>, saturating at <see cref="long.MaxValue"/>.</summary>
    public static long Sum(params long[] terms)
    {
        long result = 0;
        foreach (long t in terms) result = t > long.MaxValue - result ? long.MaxValue : result + t;
        return result;
    }
}
