using System.Globalization;
using Tractable.Models;

namespace Tractable.Runs;

/// <summary>The type of value a <see cref="ModelOption"/> takes.</summary>
public enum OptionValueType
{
    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A floating-point number.</summary>
    Number,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>One name of a closed set (an enum), matched without regard to case.</summary>
    Choice,
}

/// <summary>
/// One setting of a model kind that a user may change by name (the CLI spells it <c>--name</c>): its help text, the
/// type of its value, and how a value changes the kind's configuration. Values arrive as text and are parsed and
/// checked here, so every front end reports the same errors.
/// </summary>
public abstract class ModelOption
{
    /// <summary>An option called <paramref name="name"/>.</summary>
    protected ModelOption(string name, string help, OptionValueType type)
    {
        Name = name;
        Help = help;
        Type = type;
    }

    /// <summary>The option's name, lower case with dashes (<c>hidden-layers</c>).</summary>
    public string Name { get; }

    /// <summary>What the option sets, in the model's own words.</summary>
    public string Help { get; }

    /// <summary>The type of its value.</summary>
    public OptionValueType Type { get; }

    /// <summary>The accepted names of a <see cref="OptionValueType.Choice"/> option, else empty.</summary>
    public virtual IReadOnlyList<string> Choices => [];

    /// <summary>The option's value in <paramref name="defaults"/> (the kind's configuration with no option given), as text.</summary>
    public abstract string DefaultText(ModelConfig defaults);

    /// <summary>Applies <paramref name="text"/> to <paramref name="config"/>; throws <see cref="ArgumentException"/> for a bad value.</summary>
    public abstract ModelConfig Apply(ModelConfig config, string text, DataShape data);
}

/// <summary>A <see cref="ModelOption"/> of configurations <typeparamref name="TConfig"/> with values <typeparamref name="TValue"/>.</summary>
/// <param name="name">The option's name.</param>
/// <param name="help">What it sets.</param>
/// <param name="read">The configuration's current value (shown as the default).</param>
/// <param name="write">The configuration with a new value, given the data it is for.</param>
/// <param name="check">Returns an error text for a value out of range, else null.</param>
/// <param name="choice">For a closed set of names: how a name is read, the names, and how a value is written.</param>
public sealed class ModelOption<TConfig, TValue>(
    string name, string help, Func<TConfig, TValue> read, Func<TConfig, TValue, DataShape, TConfig> write, Func<TValue, string?>? check = null,
    (Func<string, TValue> Parse, IReadOnlyList<string> Names, Func<TValue, string> Format)? choice = null)
    : ModelOption(name, help, choice is null ? TypeOf() : OptionValueType.Choice)
    where TConfig : ModelConfig
    where TValue : notnull
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Choices => choice?.Names ?? [];

    /// <inheritdoc />
    public override string DefaultText(ModelConfig defaults) => Format(read((TConfig)defaults));

    /// <inheritdoc />
    public override ModelConfig Apply(ModelConfig config, string text, DataShape data)
    {
        TValue value = Parse(text);
        if (check?.Invoke(value) is string problem)
            throw new InvalidSettingException(Name, $"Model option '{Name}' {problem}, got {text}.");
        return write((TConfig)config, value, data);
    }

    private TValue Parse(string text)
    {
        object? value = Type switch
        {
            OptionValueType.Integer => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i : null,
            OptionValueType.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d : null,
            OptionValueType.Boolean => bool.TryParse(text, out bool b) ? b : null,
            _ => choice!.Value.Parse(text),
        };
        return value is TValue typed
            ? typed
            : throw new InvalidSettingException(Name, $"Model option '{Name}' expects {Describe()}, got '{text}'.");
    }

    private string Describe() => Type switch
    {
        OptionValueType.Integer => "a whole number",
        OptionValueType.Number => "a finite number",
        OptionValueType.Boolean => "true or false",
        _ => "one of " + string.Join(", ", Choices),
    };

    private string Format(TValue value) => choice is { } c ? c.Format(value) : value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static OptionValueType TypeOf() =>
        typeof(TValue) == typeof(int) ? OptionValueType.Integer
        : typeof(TValue) == typeof(double) ? OptionValueType.Number
        : typeof(TValue) == typeof(bool) ? OptionValueType.Boolean
        : throw new ArgumentException($"Model options take whole numbers, numbers, booleans or names of a closed set, not {typeof(TValue).Name}.");
}
