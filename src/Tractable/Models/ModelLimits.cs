namespace Tractable.Models;

/// <summary>
/// The bounds every configuration is checked against before a model is built or loaded, so that a bad or hostile
/// <c>model.json</c> gets a clear error instead of a 360 GB allocation or an hour spent building modules.
/// </summary>
public static class ModelLimits
{
    /// <summary>The most layers (couplings, flow steps, blocks, autoregressive layers) one count may ask for.</summary>
    public const int MaxLayers = 1000;

    /// <summary>The widest hidden layer or channel count a configuration may ask for.</summary>
    public const int MaxWidth = 1 << 16;

    /// <summary>The most scalars a model may store: 10⁹ (4 GB as float32), far above the largest published model here.</summary>
    public const long MaxStateSize = 1_000_000_000;

    /// <summary>
    /// Checks <paramref name="config"/>'s fields and its estimated size; throws an <see cref="InvalidConfigException"/>
    /// that names the field or the size.
    /// </summary>
    public static void Validate(ModelConfig config)
    {
        if (config is not IValidatableConfig checkable) return;
        checkable.Validate();
        long size = checkable.EstimatedStateSize();
        if (size > MaxStateSize)
            throw new InvalidConfigException(
                $"{config.Name}: this configuration makes a model of about {size:N0} scalars ({size * 4.0 / (1L << 30):F1} GiB), over the limit of {MaxStateSize:N0}.");
    }
}
