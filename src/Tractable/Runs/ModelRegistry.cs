using System.Text.Json.Serialization.Metadata;
using Tractable.Models;
using Tractable.Models.Pixel;

namespace Tractable.Runs;

/// <summary>Every model kind, by name; the one list a new model joins. It also gives <c>model.json</c> its type names.</summary>
public static class ModelRegistry
{
    /// <summary>The kinds, in the order help lists them.</summary>
    public static IReadOnlyList<ModelKind> Kinds { get; } =
    [
        new RealNvpKind(),
        new NiceKind(),
        new PlanarKind(),
        new RadialKind(),
        new MadeKind(),
        new MadeMixtureKind(),
        new MafKind(),
        new MafMixtureKind(),
        new IafKind(),
        new GlowKind(),
        new RealNvpImageKind(),
        new PixelCnnKind(),
        new GatedPixelCnnKind(),
        new PixelCnnPlusPlusKind(),
        new RowLstmKind(),
        new DiagonalBiLstmKind(),
        new WaveNetKind(),
        new Models.Latent.VaeKind(),
    ];

    /// <summary>Every kind's name.</summary>
    public static IEnumerable<string> Names => Kinds.Select(k => k.Name);

    /// <summary>The kind called <paramref name="name"/> (case ignored), or an error listing the names.</summary>
    public static ModelKind Find(string name) =>
        Kinds.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidSettingException("model", $"Unknown model '{name}'; expected one of: {string.Join(", ", Names)}.");

    /// <summary>The kind of a model built from <paramref name="config"/>.</summary>
    public static ModelKind KindOf(ModelConfig config) => Find(config.Name);

    /// <summary>
    /// A <see cref="DefaultJsonTypeInfoResolver"/> modifier that makes <see cref="ModelConfig"/> polymorphic over the
    /// registered configuration types, with the <c>model</c> property naming each.
    /// </summary>
    public static void DescribeConfigTypes(JsonTypeInfo info)
    {
        if (info.Type != typeof(ModelConfig)) return;
        var polymorphism = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "model" };
        foreach (ModelKind kind in Kinds.DistinctBy(k => k.ConfigType))
            polymorphism.DerivedTypes.Add(new JsonDerivedType(kind.ConfigType, kind.ConfigName));
        info.PolymorphismOptions = polymorphism;
    }
}
