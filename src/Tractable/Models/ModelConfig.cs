using System.Text.Json.Serialization;

namespace Tractable.Models;

/// <summary>
/// A typed, JSON-serializable description of a model: saved beside the weights so that a checkpoint rebuilds
/// its own model. In <c>model.json</c> the <c>model</c> property names the configuration type; the types are those of
/// the kinds in <see cref="Runs.ModelRegistry"/>.
/// </summary>
public abstract record ModelConfig
{
    /// <summary>The name of the model kind this configuration is of.</summary>
    [JsonIgnore] public abstract string Name { get; }

    /// <summary>The shape of one example the model is over (without the batch dimension).</summary>
    [JsonIgnore] public abstract long[] EventShape { get; }

    /// <summary>Values per dimension of the discrete data the model is over (256, 2), or null for continuous data.</summary>
    [JsonIgnore] public virtual int? DiscreteLevels => null;

    /// <summary>Builds a freshly initialized model.</summary>
    public abstract DensityModel Build();
}
