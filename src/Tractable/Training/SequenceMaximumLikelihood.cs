using Tractable.Data.Audio;
using Tractable.Evaluation;
using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// Maximum likelihood on random fixed-length crops of a long sequence (WaveNet training, van den Oord et al. 2016):
/// each step cuts <c>batch</c> crops of the model's segment length at uniform positions of the training stream, drawn
/// with the trainer's generator, and minimizes the mean NLL per sample in nats. Validation scores the held-out
/// validation files sample by sample (<see cref="SequenceEvaluator"/>).
/// </summary>
public sealed class SequenceMaximumLikelihood : ITrainingObjective
{
    private readonly SpeechDataset data;
    private readonly Device device;
    private readonly long validationSamples;

    /// <summary>Trains on <paramref name="data"/>; validation scores at most <paramref name="validationSamples"/> samples of the validation files.</summary>
    public SequenceMaximumLikelihood(SpeechDataset data, Device device, long validationSamples = 200_000)
    {
        this.data = data;
        this.device = device;
        this.validationSamples = validationSamples;
    }

    /// <inheritdoc />
    public void Initialize(DensityModel model, Generator generator) { }

    /// <inheritdoc />
    public Tensor Loss(DensityModel model, int batchSize, int step, Generator generator)
    {
        Tensor crops = Crops(data.Train, batchSize, model.Config.EventShape[0], generator).to(device);
        return -model.LogProb(crops).mean() / crops.size(1);
    }

    /// <inheritdoc />
    public double Validate(DensityModel model) => Validate(model, null);

    /// <inheritdoc />
    /// <remarks>The batch size is the number of samples the model scores per pass (<see cref="SequenceEvaluator"/>'s chunk).</remarks>
    public double Validate(DensityModel model, int? batchSize)
    {
        IReadOnlyList<Tensor> sequences = SequenceEvaluator.Limit(data.Validation, validationSamples);
        return (batchSize is int chunk
            ? SequenceEvaluator.Evaluate(AsSequenceModel(model), sequences, device, chunk)
            : SequenceEvaluator.Evaluate(AsSequenceModel(model), sequences, device)).NatsPerSample;
    }

    /// <summary>
    /// <paramref name="count"/> crops <c>[count, length]</c> of <paramref name="stream"/> <c>[N]</c> at uniform start
    /// positions (a stream shorter than a crop is padded with silence first).
    /// </summary>
    public static Tensor Crops(Tensor stream, long count, long length, Generator generator)
    {
        if (stream.size(0) < length)
            stream = cat([stream, full([length - stream.size(0)], MuLaw.SilenceLevel, stream.dtype)], 0);
        Tensor starts = randint(0, stream.size(0) - length + 1, [count, 1], generator: generator);
        return stream.index_select(0, (starts + arange(length).unsqueeze(0)).flatten()).view(count, length);
    }

    /// <summary><paramref name="model"/> as a sequence model, or a clear error for a model of independent examples.</summary>
    public static ISequenceModel AsSequenceModel(DensityModel model) => model as ISequenceModel
        ?? throw new ArgumentException($"Audio is modelled by sequence models; '{model.Config.Name}' models independent examples.");
}
