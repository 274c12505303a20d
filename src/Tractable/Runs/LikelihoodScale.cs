using Tractable.Models;

namespace Tractable.Runs;

/// <summary>
/// The unit a model's likelihood figures are reported in, as its results are: bits per dimension for discrete data
/// (images), bits per sample for audio, nats per example otherwise. Losses and validation figures arrive in nats (per
/// example, or per audio sample for sequence models) and are divided by <see cref="NatsPerUnit"/>.
/// </summary>
/// <param name="Unit">The unit as people read it: <c>bits/dim</c>, <c>bits/sample</c> or <c>nats</c>.</param>
/// <param name="Slug">The unit in names of files and tags: <c>bits_per_dim</c>, <c>bits_per_sample</c>, <c>nats</c>.</param>
/// <param name="NatsPerUnit">Nats in one unit: <c>D ln 2</c> for bits/dim over D dimensions, <c>ln 2</c> for bits/sample, 1 for nats.</param>
public sealed record LikelihoodScale(string Unit, string Slug, double NatsPerUnit)
{
    /// <summary>Nats, per example.</summary>
    public static LikelihoodScale Nats { get; } = new("nats", "nats", 1);

    /// <summary>Bits per audio sample (the figures of sequence models are already per sample).</summary>
    public static LikelihoodScale BitsPerSample { get; } = new("bits/sample", "bits_per_sample", Math.Log(2));

    /// <summary>Bits per dimension of examples with <paramref name="dimensions"/> dimensions.</summary>
    public static LikelihoodScale BitsPerDim(long dimensions) => new("bits/dim", "bits_per_dim", dimensions * Math.Log(2));

    /// <summary>The scale of the results of a model built from <paramref name="config"/>.</summary>
    public static LikelihoodScale Of(ModelConfig config)
    {
        if (ModelRegistry.KindOf(config).OutputOf(config) == SampleOutput.Audio) return BitsPerSample;
        return config.DiscreteLevels is null ? Nats : BitsPerDim(config.EventShape.Aggregate(1L, (a, b) => a * b));
    }

    /// <summary><paramref name="nats"/> in this unit.</summary>
    public double FromNats(double nats) => nats / NatsPerUnit;
}
