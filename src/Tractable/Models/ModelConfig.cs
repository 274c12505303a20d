using System.Text.Json.Serialization;

namespace Tractable.Models;

/// <summary>
/// A typed, JSON-serializable description of a model: saved beside the weights so that a checkpoint rebuilds
/// its own model. The <c>model</c> property names the kind.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "model")]
[JsonDerivedType(typeof(RealNvpConfig), "realnvp")]
[JsonDerivedType(typeof(NiceConfig), "nice")]
[JsonDerivedType(typeof(PlanarConfig), "planar")]
[JsonDerivedType(typeof(RadialConfig), "radial")]
[JsonDerivedType(typeof(MadeConfig), "made")]
[JsonDerivedType(typeof(MafConfig), "maf")]
[JsonDerivedType(typeof(IafConfig), "iaf")]
[JsonDerivedType(typeof(GlowConfig), "glow")]
[JsonDerivedType(typeof(RealNvpImageConfig), "realnvp-image")]
[JsonDerivedType(typeof(WaveNetConfig), "wavenet")]
[JsonDerivedType(typeof(Pixel.PixelCnnConfig), "pixelcnn")]
[JsonDerivedType(typeof(Pixel.GatedPixelCnnConfig), "gated-pixelcnn")]
[JsonDerivedType(typeof(Pixel.PixelCnnPlusPlusConfig), "pixelcnn++")]
[JsonDerivedType(typeof(Latent.VaeConfig), "vae")]
public abstract record ModelConfig
{
    /// <summary>The model's name as the CLI spells it.</summary>
    [JsonIgnore] public abstract string Name { get; }

    /// <summary>The shape of one example the model is over (without the batch dimension).</summary>
    [JsonIgnore] public abstract long[] EventShape { get; }

    /// <summary>Builds a freshly initialized model.</summary>
    public abstract DensityModel Build();
}
