using Tractable.IO;
using Tractable.Models;

namespace Tractable.Runs;

/// <summary>
/// A <see cref="ModelKind"/> whose configuration is <typeparamref name="TConfig"/>: a kind says how a configuration
/// fits the data (<see cref="Configure"/>) and declares its options with the helpers below, each bound to the field it
/// sets, so an option's help, default, range check and effect live on one line.
/// </summary>
public abstract class ModelKind<TConfig> : ModelKind where TConfig : ModelConfig
{
    private IReadOnlyList<ModelOption>? options;

    /// <inheritdoc />
    public sealed override Type ConfigType => typeof(TConfig);

    /// <inheritdoc />
    public sealed override IReadOnlyList<ModelOption> Options => options ??= DeclareOptions().ToArray();

    /// <inheritdoc />
    public sealed override ModelConfig DefaultConfig(DataShape data) => Configure(data);

    /// <summary>The configuration for <paramref name="data"/> before any option: the data's shape, levels and the model's defaults.</summary>
    protected abstract TConfig Configure(DataShape data);

    /// <summary>The options of this kind.</summary>
    protected abstract IEnumerable<ModelOption> DeclareOptions();

    /// <summary>A whole-number option of at least <paramref name="min"/>.</summary>
    protected static ModelOption Count(string name, string help, Func<TConfig, int> read, Func<TConfig, int, TConfig> write, int min = 1, int max = 1 << 16) =>
        new ModelOption<TConfig, int>(name, help, read, (c, v, _) => write(c, v),
            v => v < min ? $"must be at least {min}" : v > max ? $"must be at most {max}" : null);

    /// <summary>A number option in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    protected static ModelOption Number(string name, string help, Func<TConfig, double> read, Func<TConfig, double, TConfig> write, double min, double max) =>
        new ModelOption<TConfig, double>(name, help, read, (c, v, _) => write(c, v),
            v => v < min || v > max ? $"must be in [{min}, {max}]" : null);

    /// <summary>A true/false option.</summary>
    protected static ModelOption Flag(string name, string help, Func<TConfig, bool> read, Func<TConfig, bool, TConfig> write) =>
        new ModelOption<TConfig, bool>(name, help, read, (c, v, _) => write(c, v));

    /// <summary>An option naming one member of <typeparamref name="TEnum"/>.</summary>
    protected static ModelOption Choice<TEnum>(string name, string help, Func<TConfig, TEnum> read, Func<TConfig, TEnum, TConfig> write)
        where TEnum : struct, Enum =>
        new ModelOption<TConfig, TEnum>(name, help, read, (c, v, _) => write(c, v),
            choice: (text => EnumNames.Parse<TEnum>(text, name), EnumNames.Names<TEnum>(), EnumNames.NameOf));

    /// <summary>
    /// The <c>conditional</c> option: condition on the data's class labels (<paramref name="read"/> gives the configured
    /// number of classes, <paramref name="write"/> sets it); labelled data is required.
    /// </summary>
    protected ModelOption Conditional(Func<TConfig, int> read, Func<TConfig, int, TConfig> write) =>
        new ModelOption<TConfig, bool>("conditional", "condition on the class labels of labelled data", c => read(c) > 0, (c, on, data) =>
        {
            if (on && data.NumClasses == 0)
                throw new InvalidSettingException("conditional", $"Model '{Name}' can condition on classes only with labelled data; this data has none.");
            return write(c, on ? data.NumClasses : 0);
        });

    /// <summary>The data's examples as vectors, or an error naming the shape this kind needs.</summary>
    protected int VectorFeatures(DataShape data) => data.EventShape.Length == 1
        ? data.Features
        : throw new InvalidSettingException("data", $"Model '{Name}' models vectors, but the data has examples of shape [{string.Join(", ", data.EventShape)}].");

    /// <summary>The data's examples as images <c>[C, H, W]</c> of discrete levels, or an error naming the shape this kind needs.</summary>
    protected (int Channels, int Height, int Width, int Levels) DiscreteImage(DataShape data) =>
        data.EventShape.Length == 3 && data.Levels is int levels
            ? ((int)data.EventShape[0], (int)data.EventShape[1], (int)data.EventShape[2], levels)
            : throw new InvalidSettingException("data",
                $"Model '{Name}' models images [C, H, W] of discrete levels, but the data has examples of shape [{string.Join(", ", data.EventShape)}]{(data.Levels is null ? " with continuous values" : "")}.");
}
