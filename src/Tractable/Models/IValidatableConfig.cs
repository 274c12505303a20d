namespace Tractable.Models;

/// <summary>
/// A configuration that checks its fields before anything is built: every model's configuration implements it, and
/// <see cref="ModelLimits.Validate"/> applies it (with the size limit) before a model is built or loaded.
/// </summary>
public interface IValidatableConfig
{
    /// <summary>Throws an <see cref="InvalidConfigException"/> naming the first field out of bounds.</summary>
    void Validate();

    /// <summary>
    /// The number of scalars the built model stores (parameters and buffers such as masks), computed from the
    /// configuration alone, to within a factor of two, so that an absurd size is refused before it is allocated.
    /// </summary>
    long EstimatedStateSize();
}
