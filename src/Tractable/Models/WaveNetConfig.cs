using Tractable.Data.Audio;

namespace Tractable.Models;

/// <summary>
/// WaveNet over µ-law audio (van den Oord et al. 2016, arXiv:1609.03499). The default suits 2 CPU cores: two stacks
/// of dilations 1…512 (receptive field 2,048 samples = 256 ms at 8 kHz), 32 residual and 64 skip channels.
/// </summary>
public sealed record WaveNetConfig : ModelConfig, IValidatableConfig
{
    /// <inheritdoc />
    public override string Name => "wavenet";

    /// <summary>Length of one example in samples: the training crop, and what <see cref="DensityModel.Sample"/> draws.</summary>
    public int SegmentLength { get; init; } = 4096;

    /// <inheritdoc />
    public override long[] EventShape => [SegmentLength];

    /// <inheritdoc />
    [System.Text.Json.Serialization.JsonIgnore] public override int? DiscreteLevels => Levels;

    /// <summary>Samples per second of the audio (for writing WAVs and real-time factors).</summary>
    public int SampleRate { get; init; } = 8000;

    /// <summary>Quantization levels (µ-law).</summary>
    public int Levels { get; init; } = MuLaw.Levels;

    /// <summary>Channels of the residual stream.</summary>
    public int ResidualChannels { get; init; } = 32;

    /// <summary>Channels of the skip connections and the output head.</summary>
    public int SkipChannels { get; init; } = 64;

    /// <summary>Number of stacks of dilations <c>1, 2, …, MaxDilation</c>.</summary>
    public int Stacks { get; init; } = 2;

    /// <summary>The largest dilation of a stack (a power of two).</summary>
    public int MaxDilation { get; init; } = 512;

    /// <summary>Width of the dilated filters.</summary>
    public int KernelSize { get; init; } = 2;

    /// <summary>Classes of the global conditioning (speaker or class id; 0: unconditional).</summary>
    public int GlobalClasses { get; init; }

    /// <summary>Channels of the local conditioning sequence (0: none).</summary>
    public int LocalFeatures { get; init; }

    /// <summary>Audio samples per local conditioning frame.</summary>
    public int LocalHop { get; init; } = 80;

    /// <summary>How local features reach the audio rate.</summary>
    public LocalUpsampling LocalUpsampling { get; init; } = LocalUpsampling.Repeat;

    /// <summary>The dilation of every layer: <c>1, 2, …, MaxDilation</c> repeated <see cref="Stacks"/> times.</summary>
    public int[] Dilations()
    {
        if (MaxDilation < 1 || (MaxDilation & (MaxDilation - 1)) != 0) throw new ArgumentException($"MaxDilation must be a power of two, got {MaxDilation}.");
        if (Stacks < 1) throw new ArgumentException("A WaveNet needs at least one stack.");
        int perStack = System.Numerics.BitOperations.Log2((uint)MaxDilation) + 1;
        return Enumerable.Range(0, Stacks).SelectMany(_ => Enumerable.Range(0, perStack).Select(i => 1 << i)).ToArray();
    }

    /// <summary>The receptive field in samples (<see cref="Networks.WaveNet.WaveNetNetwork.ReceptiveFieldOf"/>).</summary>
    public int ReceptiveField => Networks.WaveNet.WaveNetNetwork.ReceptiveFieldOf(Dilations(), KernelSize);

    /// <inheritdoc />
    public void Validate()
    {
        ConfigCheck.InRange(nameof(SegmentLength), SegmentLength, 2, int.MaxValue);
        ConfigCheck.InRange(nameof(SampleRate), SampleRate, 1, int.MaxValue);
        ConfigCheck.InRange(nameof(Levels), Levels, 2, 1 << 16);
        ConfigCheck.Width(nameof(ResidualChannels), ResidualChannels);
        ConfigCheck.Width(nameof(SkipChannels), SkipChannels);
        ConfigCheck.Layers(nameof(Stacks), Stacks);
        ConfigCheck.InRange(nameof(MaxDilation), MaxDilation, 1, 1 << 20);
        if ((MaxDilation & (MaxDilation - 1)) != 0)
            throw new InvalidConfigException($"max_dilation must be a power of two, got {MaxDilation}.");
        ConfigCheck.InRange(nameof(KernelSize), KernelSize, 1, 64);
        if ((long)Stacks * (System.Numerics.BitOperations.Log2((uint)MaxDilation) + 1) > ModelLimits.MaxLayers)
            throw new InvalidConfigException($"stacks {Stacks} of dilations up to {MaxDilation} make more than {ModelLimits.MaxLayers} layers.");
        ConfigCheck.OptionalWidth(nameof(GlobalClasses), GlobalClasses);
        ConfigCheck.OptionalWidth(nameof(LocalFeatures), LocalFeatures);
        ConfigCheck.InRange(nameof(LocalHop), LocalHop, 1, 1 << 16);
        ConfigCheck.Defined(nameof(LocalUpsampling), LocalUpsampling);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Per layer: the dilated convolution (R → 2R, kernel k), the 1×1 output (R → R + S) and the conditioning
    /// projections; then the input convolution, the 1×1 head (S → S) and the logits (S → levels).
    /// </remarks>
    public long EstimatedStateSize()
    {
        long r = ResidualChannels, s = SkipChannels;
        long layer = ConfigCheck.Sum(ConfigCheck.Product(2 * r, r * KernelSize + 1 + GlobalClasses + LocalFeatures), ConfigCheck.Product(r + s, r + 1));
        long upsampler = LocalUpsampling == LocalUpsampling.Transposed ? ConfigCheck.Product(LocalFeatures, LocalFeatures, LocalHop) : 0;
        return ConfigCheck.Sum(ConfigCheck.Product(Dilations().Length, layer), ConfigCheck.Product(2L * Levels + 1, r),
            ConfigCheck.Product(s + 1, s + Levels), upsampler);
    }

    /// <inheritdoc />
    public override DensityModel Build()
    {
        ModelLimits.Validate(this);
        return new WaveNet(this);
    }
}
