using System.Globalization;
using Tractable.Runs;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>WaveNet (van den Oord et al. 2016): dilated causal convolutions over µ-law audio, generated sample by sample.</summary>
public sealed class WaveNetKind : ModelKind<WaveNetConfig>
{
    /// <inheritdoc />
    public override string Name => "wavenet";

    /// <inheritdoc />
    public override string Summary => "WaveNet (van den Oord et al. 2016): dilated causal convolutions over µ-law audio";

    /// <inheritdoc />
    public override DataKind Accepts => DataKind.Sequences;

    /// <inheritdoc />
    public override DataShape TypicalData => new([4096], Levels: Data.Audio.MuLaw.Levels, SampleRate: 8000);

    /// <inheritdoc />
    public override SamplingFeatures Sampling => SamplingFeatures.Fast | SamplingFeatures.Duration;

    /// <inheritdoc />
    protected override WaveNetConfig Configure(DataShape data) =>
        data.EventShape.Length == 1 && data.SampleRate is int rate
            ? new WaveNetConfig { SegmentLength = (int)data.EventShape[0], SampleRate = rate, Levels = data.Levels ?? Data.Audio.MuLaw.Levels }
            : throw new InvalidSettingException("data", $"Model '{Name}' models audio sequences; the data has examples of shape [{string.Join(", ", data.EventShape)}].");

    /// <inheritdoc />
    /// <remarks>
    /// 4 crops of 4,096 samples a step (docs/wavenet.md): at the trainer's batch of 512 the activations of the 20
    /// layers exceed 24 GB.
    /// </remarks>
    public override TrainingDefaults Defaults(DataShape data) => new(
        new TrainerOptions { BatchSize = 4, LearningRate = 2e-3, Steps = 1200, EvalEvery = 100, CheckpointEvery = 100 }, Crop: 4096);

    /// <inheritdoc />
    /// <remarks>The receptive field depends on the stacks of dilations, not on the data, so the typical data serves.</remarks>
    public override int ReceptiveField(IReadOnlyDictionary<string, string> options) => ((WaveNetConfig)CreateConfig(TypicalData, options)).ReceptiveField;

    /// <inheritdoc />
    protected override IEnumerable<ModelOption> DeclareOptions() =>
    [
        Count("layers", "stacks of dilations 1..512", c => c.Stacks, (c, v) => c with { Stacks = v }, max: 64),
        Count("hidden", "residual channels (skip channels are twice as many)", c => c.ResidualChannels,
            (c, v) => c with { ResidualChannels = v, SkipChannels = 2 * v }),
        Conditional(c => c.GlobalClasses, (c, k) => c with { GlobalClasses = k }),
    ];

    /// <inheritdoc />
    public override string Describe(ModelConfig config)
    {
        var w = (WaveNetConfig)config;
        return string.Create(CultureInfo.InvariantCulture,
            $"WaveNet: {w.Dilations().Length} layers (dilations 1..{w.MaxDilation} x {w.Stacks}), receptive field {w.ReceptiveField} samples = {1000.0 * w.ReceptiveField / w.SampleRate:F0} ms");
    }

    /// <inheritdoc />
    public override SampleOutput OutputOf(ModelConfig config) => SampleOutput.Audio;

    /// <inheritdoc />
    /// <remarks>16 clips: the fused per-sample generation step serves batches up to 16 (docs/benchmarks.md).</remarks>
    public override int SamplingBatch(ModelConfig config) => 16;

    /// <inheritdoc />
    /// <remarks>Clips of <see cref="SampleRequest.Seconds"/>; the progress counts audio samples generated over all clips.</remarks>
    public override SampleStream Stream(DensityModel model, SampleRequest request, Device device)
    {
        request.Validate();
        if (request.Class is not null) throw new InvalidSettingException("class", "WaveNet draws speech without a class here.");
        var sequential = (ISequenceModel)model;
        long length = Math.Max(1, (long)Math.Round(request.Seconds * sequential.SampleRate));
        return new SampleStream(Clips(sequential, SamplingBatch(model.Config), length, request, device), request.Count, SampleOutput.Audio, 1,
            model.Config.DiscreteLevels, sequential.SampleRate);
    }

    /// <summary>The clips of a draw, <paramref name="size"/> at a time, each batch from a generator of its own (<see cref="ModelKind.BatchSeed"/>).</summary>
    private static IEnumerable<Tensor> Clips(ISequenceModel model, int size, long length, SampleRequest request, Device device)
    {
        long n = request.Count;
        for (long start = 0, index = 0; start < n; start += size, index++)
        {
            long count = Math.Min(size, n - start), done = start * length;
            Tensor levels;
            using (var scope = NewDisposeScope())
            {
                using var generator = new Generator((ulong)BatchSeed(request.Seed, index), device);
                levels = model.Generate(count, length, request.Fast, generator, request.Temperature,
                    progress: step => request.Progress?.Invoke(done + step * count, n * length)).cpu().MoveToOuterDisposeScope();
            }
            yield return levels;
        }
    }
}
