using System.Text.Json.Serialization;
using Tractable.Distributions.Pixels;

namespace Tractable.Models.Pixel;

/// <summary>What every autoregressive image model's configuration has: the image shape and the number of levels.</summary>
public abstract record PixelModelConfig : ModelConfig, IValidatableConfig
{
    /// <summary>Image channels (1 for MNIST, 3 for CIFAR-10).</summary>
    public int Colours { get; init; } = 1;

    /// <summary>Image rows.</summary>
    public int Height { get; init; } = 28;

    /// <summary>Image columns.</summary>
    public int Width { get; init; } = 28;

    /// <summary>Values per sub-pixel (2 for binary images, 256 for 8-bit).</summary>
    public int Levels { get; init; } = 2;

    /// <inheritdoc />
    [JsonIgnore] public override long[] EventShape => [Colours, Height, Width];

    /// <inheritdoc />
    [JsonIgnore] public override int? DiscreteLevels => Levels;

    /// <inheritdoc />
    public virtual void Validate()
    {
        ConfigCheck.InRange(nameof(Colours), Colours, 1, 4);
        ConfigCheck.Width(nameof(Height), Height);
        ConfigCheck.Width(nameof(Width), Width);
        ConfigCheck.InRange(nameof(Levels), Levels, 2, 1 << 16);
    }

    /// <inheritdoc />
    public abstract long EstimatedStateSize();

    /// <summary>Output channels of the likelihood: one per sub-pixel for binary images, else one per level per sub-pixel.</summary>
    protected long LikelihoodChannels => Levels == 2 ? Colours : (long)Colours * Levels;

    /// <summary>A Bernoulli per sub-pixel for binary images, else a softmax over the levels.</summary>
    public PixelLikelihood CreateColourMaskedLikelihood() =>
        Levels == 2 ? new BernoulliPixels(Colours) : new CategoricalPixels(Colours, Levels);
}
