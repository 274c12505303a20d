using System.Text.Json.Serialization;
using Tractable.Models.MultiScale;
using Tractable.Transforms;
using Tractable.Transforms.Preprocessing;

namespace Tractable.Models;

/// <summary>What every multi-scale image flow is configured with: the image shape, pixel levels, levels of the flow.</summary>
public abstract record ImageFlowConfig : ModelConfig, IValidatableConfig
{
    /// <summary>Channels, height and width of the images.</summary>
    public long[] ImageShape { get; init; } = [1, 28, 28];

    /// <summary>Values each pixel takes (256 for 8-bit images).</summary>
    public int PixelLevels { get; init; } = 256;

    /// <summary>Number of levels L (each squeezes by 2; every level but the last factors out half the channels).</summary>
    public int Levels { get; init; } = 2;

    /// <summary>Hidden channels of the coupling networks.</summary>
    public int HiddenChannels { get; init; } = 64;

    /// <summary>The logit transform's boundary margin α (RealNVP §4.1 uses 0.05).</summary>
    public double LogitAlpha { get; init; } = 0.05;

    /// <summary>Number of classes for a class-conditional prior (0: unconditional).</summary>
    public int NumClasses { get; init; }

    /// <inheritdoc />
    [JsonIgnore] public override long[] EventShape => ImageShape;

    /// <inheritdoc />
    [JsonIgnore] public override int? DiscreteLevels => PixelLevels;

    /// <inheritdoc />
    public virtual void Validate()
    {
        if (ImageShape is not { Length: 3 } || ImageShape.Any(d => d < 1 || d > ModelLimits.MaxWidth))
            throw new InvalidConfigException(
                $"image_shape must be [channels, height, width] of 1 to {ModelLimits.MaxWidth} each, got [{string.Join(", ", ImageShape ?? [])}].");
        ConfigCheck.InRange(nameof(Levels), Levels, 1, 16);
        if (ImageShape[1] % (1L << Levels) != 0 || ImageShape[2] % (1L << Levels) != 0)
            throw new InvalidConfigException(
                $"levels {Levels} need the image size to halve {Levels} times, but image_shape is {ImageShape[1]}x{ImageShape[2]}.");
        ConfigCheck.InRange(nameof(PixelLevels), PixelLevels, 2, 1 << 16);
        ConfigCheck.Width(nameof(HiddenChannels), HiddenChannels);
        ConfigCheck.InInterval(nameof(LogitAlpha), LogitAlpha, 0, 0.5);
        ConfigCheck.OptionalWidth(nameof(NumClasses), NumClasses);
    }

    /// <inheritdoc />
    public long EstimatedStateSize()
    {
        long[] shape = ImageShape;
        long total = 0;
        for (int l = 0; l < Levels; l++)
        {
            (long size, shape) = EstimatedLevelSize(l, shape);
            total = ConfigCheck.Sum(total, size);
            if (l < Levels - 1)
            {
                if (LearnedPriors) total = ConfigCheck.Sum(total, ConfigCheck.Product(9 * shape[0] / 2 + 2, shape[0]));
                shape = [shape[0] / 2, shape[1], shape[2]];
            }
        }
        long prior = ConfigCheck.Product(LearnedPriors ? 2 : 0, shape[0], shape[1], shape[2]);
        return ConfigCheck.Sum(total, prior, ConfigCheck.Product(NumClasses + 1, 2 * shape[0]));
    }

    /// <summary>
    /// The scalars of level <paramref name="level"/> (weights, biases, coupling masks), whose input has
    /// <paramref name="shape"/>, and its output shape; see <see cref="IValidatableConfig.EstimatedStateSize"/>.
    /// </summary>
    protected abstract (long Size, long[] OutputShape) EstimatedLevelSize(int level, long[] shape);

    /// <summary>The pixel preprocessing after dequantization, e.g. to [−0.5, 0.5) or to logit space.</summary>
    protected abstract Bijector Scaling();

    /// <summary>The bijectors of level <paramref name="level"/>, whose input has <paramref name="shape"/>; returns its output shape.</summary>
    protected abstract (IEnumerable<Bijector> steps, long[] outputShape) Level(int level, long[] shape);

    /// <summary>Whether the priors are learned (Glow) or standard normal (RealNVP).</summary>
    protected abstract bool LearnedPriors { get; }

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        long[] shape = ImageShape;
        var levels = new List<Bijector>();
        var splits = new List<FactorOut>();
        for (int l = 0; l < Levels; l++)
        {
            if (shape[1] % 2 != 0 || shape[2] % 2 != 0)
                throw new ArgumentException($"{Levels} levels need the image size to halve {Levels} times; {shape[1]}x{shape[2]} at level {l + 1} is odd.");
            (IEnumerable<Bijector> steps, shape) = Level(l, shape);
            levels.Add(new Chain(steps));
            if (l < Levels - 1)
            {
                splits.Add(new FactorOut(shape[0], LearnedPriors));
                shape = [shape[0] / 2, shape[1], shape[2]];
            }
        }
        return new MultiScaleFlow(this, new Dequantize(PixelLevels), Scaling(), levels, splits,
            new ImagePrior(shape, LearnedPriors, NumClasses), NumClasses);
    }
}
