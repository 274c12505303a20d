namespace Tractable.Models;

/// <summary>Architecture settings a user may override from the command line; null keeps the model's default.</summary>
public sealed record ArchitectureOptions
{
    /// <summary>Number of flow layers (couplings, planar or radial layers).</summary>
    public int? Layers { get; init; }

    /// <summary>Width of hidden layers.</summary>
    public int? HiddenFeatures { get; init; }

    /// <summary>Number of hidden layers per network.</summary>
    public int? HiddenLayers { get; init; }

    /// <summary>Whether to add batch-normalization bijectors (where the model supports them).</summary>
    public bool? BatchNorm { get; init; }
}

/// <summary>The models the CLI knows by name, and how to configure them for a dataset.</summary>
public static class ModelCatalog
{
    /// <summary>Every model name, for help texts and errors.</summary>
    public static readonly string[] Names = ["realnvp", "nice", "planar", "radial"];

    /// <summary>
    /// A configuration of <paramref name="name"/> for <paramref name="features"/>-dimensional data with
    /// <paramref name="contextFeatures"/> context features.
    /// </summary>
    public static ModelConfig Create(string name, int features, int contextFeatures, bool standardize, ArchitectureOptions? options = null)
    {
        options ??= new ArchitectureOptions();
        return name.ToLowerInvariant() switch
        {
            "realnvp" => ApplyTo(new RealNvpConfig(), options) with
            {
                Features = features, ContextFeatures = contextFeatures, Standardize = standardize,
            },
            "nice" => ApplyTo(new NiceConfig(), options) with
            {
                Features = features, ContextFeatures = contextFeatures, Standardize = standardize,
            },
            "planar" => new PlanarConfig { Features = features, Layers = options.Layers ?? new PlanarConfig().Layers },
            "radial" => new RadialConfig { Features = features, Layers = options.Layers ?? new RadialConfig().Layers },
            _ => throw new ArgumentException($"Unknown model '{name}'; expected one of: {string.Join(", ", Names)}."),
        };
    }

    private static RealNvpConfig ApplyTo(RealNvpConfig c, ArchitectureOptions o) => c with
    {
        Couplings = o.Layers ?? c.Couplings,
        HiddenFeatures = o.HiddenFeatures ?? c.HiddenFeatures,
        HiddenLayers = o.HiddenLayers ?? c.HiddenLayers,
        BatchNorm = o.BatchNorm ?? c.BatchNorm,
    };

    private static NiceConfig ApplyTo(NiceConfig c, ArchitectureOptions o) => c with
    {
        Couplings = o.Layers ?? c.Couplings,
        HiddenFeatures = o.HiddenFeatures ?? c.HiddenFeatures,
        HiddenLayers = o.HiddenLayers ?? c.HiddenLayers,
    };
}
