using Tractable.Data;
using Tractable.Data.Audio;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>Speech: a training stream cut into crops of <paramref name="segmentLength"/> samples, and held-out files.</summary>
public sealed class SequenceData(SpeechDataset speech, int segmentLength) : RunData
{
    /// <summary>The audio.</summary>
    public SpeechDataset Speech => speech;

    /// <inheritdoc />
    public override string Name => speech.Name;

    /// <inheritdoc />
    public override DataKind Kind => DataKind.Sequences;

    /// <inheritdoc />
    public override DataShape Shape => new([segmentLength], Levels: MuLaw.Levels, SampleRate: speech.SampleRate);

    /// <inheritdoc />
    public override double TestToValidationRatio =>
        speech.Test.Sum(t => t.size(-1)) / (double)Math.Max(1, speech.Validation.Sum(t => t.size(-1)));

    /// <inheritdoc />
    public override ITrainingObjective CreateObjective(RunSpec spec, Device device) => new SequenceMaximumLikelihood(speech, device);

    /// <inheritdoc />
    public override RunMetrics Evaluate(DensityModel model, SplitName split, Device device, RunMetrics header, int? batchSize = null)
    {
        ISequenceModel sequential = SequenceMaximumLikelihood.AsSequenceModel(model);
        SequenceScore score = SequenceEvaluator.Evaluate(sequential, speech.Get(split), device);
        return header with
        {
            Unit = LikelihoodUnit.Sample, NllNats = score.NatsPerSample, BitsPerDim = score.BitsPerSample, NumExamples = score.Samples,
            ReceptiveField = sequential.ReceptiveField,
        };
    }
}
