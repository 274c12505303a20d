using System.Globalization;
using Tractable.Data.Audio;
using Tractable.Models;
using Tractable.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>
/// Training as TensorBoard sees it: event files in <see cref="Directory"/>, written through TorchSharp's own
/// <c>torch.utils.tensorboard.SummaryWriter</c>, fed from the trainer's progress reports (<see cref="Trainer.OnProgress"/>).
/// </summary>
/// <remarks>
/// <para>Scalars, at every report: <c>train/loss_UNIT</c>, <c>train/learning_rate</c>, <c>train/steps_per_second</c>; at
/// every validation: <c>validation/nll_UNIT</c> (<c>validation/reverse_kl_nats</c> for energies), where UNIT is the
/// results' unit (<see cref="LikelihoodScale"/>: bits_per_dim for images, bits_per_sample for audio, nats otherwise).</para>
/// <para>Samples, at every validation, drawn through the model's kind (<see cref="ModelKind.Draw"/>) with the step as
/// seed: images as a grid (<c>samples</c>, each image at least 96 pixels across); audio, for which TorchSharp's writer has no audio summary, as the
/// spectrogram of the clip (<c>samples/spectrogram</c>, time left to right, low frequencies at the bottom) with the clip
/// itself written beside the event file as <c>samples/step-N.wav</c>. Vector samples are not drawn.</para>
/// </remarks>
public sealed class TensorBoardLogger
{
    private readonly SummaryWriter writer;

    /// <summary>A logger writing event files into <paramref name="directory"/> (created if needed).</summary>
    public TensorBoardLogger(string directory)
    {
        Directory = directory;
        writer = utils.tensorboard.SummaryWriter(directory);
    }

    /// <summary>The folder of the event files (<c>tensorboard --logdir</c> this folder or its parent).</summary>
    public string Directory { get; }

    /// <summary>Images drawn at each validation (0: none).</summary>
    public int ImageSamples { get; init; } = 16;

    /// <summary>Seconds of audio drawn at each validation (0: none).</summary>
    public double AudioSeconds { get; init; } = 1;

    /// <summary>
    /// The progress callback for training <paramref name="model"/> (on <paramref name="device"/>) with
    /// <paramref name="options"/> on <paramref name="data"/> (an energy's validation figure is the reverse KL in nats, any
    /// other data's the NLL in the results' unit). Chain it with another callback as <c>p =&gt; { a(p); b(p); }</c>.
    /// With <paramref name="dataName"/>, the data's name is written as the text <c>dataset</c>.
    /// </summary>
    public Action<TrainProgress> Observe(DensityModel model, TrainerOptions options, Device device, DataKind data = DataKind.Examples, string? dataName = null)
    {
        LikelihoodScale scale = data == DataKind.Energy ? LikelihoodScale.Nats : LikelihoodScale.Of(model.Config);
        string validationTag = data == DataKind.Energy ? "validation/reverse_kl_nats" : $"validation/nll_{scale.Slug}";
        ModelKind kind = ModelRegistry.KindOf(model.Config);
        writer.add_text("model", $"{kind.Name}: {kind.Summary}; {model.ParameterCount:N0} parameters; figures in {scale.Unit}", 0);
        if (dataName is not null) writer.add_text("dataset", dataName, 0);
        double? lastValidation = null;
        return progress =>
        {
            int step = progress.Step;
            if (double.IsFinite(progress.Loss)) writer.add_scalar($"train/loss_{scale.Slug}", (float)scale.FromNats(progress.Loss), step);
            writer.add_scalar("train/learning_rate", (float)progress.LearningRate, step);
            writer.add_scalar("train/steps_per_second", (float)progress.StepsPerSecond, step);
            // A report carries the latest validation; it is a new one at a validation step, or when its value changed
            // (a validation forced by the time limit).
            if (progress.ValidationLoss is not double validation) return;
            bool fresh = step % options.EvalEvery == 0 || step == progress.TotalSteps || validation != lastValidation;
            lastValidation = validation;
            if (!fresh) return;
            writer.add_scalar(validationTag, (float)scale.FromNats(validation), step);
            WriteSamples(model, kind, device, step);
        };
    }

    /// <summary>Draws and writes the samples of <paramref name="model"/> at <paramref name="step"/>, in evaluation mode.</summary>
    private void WriteSamples(DensityModel model, ModelKind kind, Device device, int step)
    {
        SampleOutput output = kind.OutputOf(model.Config);
        if (output == SampleOutput.Vectors || (output == SampleOutput.Images && ImageSamples < 1) || (output == SampleOutput.Audio && !(AudioSeconds > 0)))
            return;
        using var scope = NewDisposeScope();
        using IDisposable mode = model.InMode(training: false);
        var request = new SampleRequest { Count = output == SampleOutput.Audio ? 1 : ImageSamples, Seed = step, Seconds = AudioSeconds };
        DrawnSamples samples = kind.Draw(model, request, device);
        if (output == SampleOutput.Images)
        {
            Tensor images = samples.Values / ((samples.Levels ?? 256) - 1);
            int scale = SampleGrid.AutomaticScale(images.size(2), images.size(3));
            writer.add_img("samples", SampleGrid.Tile(images, samples.PerRow, scale: scale), step);
            return;
        }
        Tensor audio = MuLaw.Decode(samples.Values[0]);
        Tensor db = Spectrogram.Decibels(audio);
        Tensor picture = ((db - (db.max() - 80)) / 80).clamp(0, 1).flip(0).unsqueeze(0);   // the top 80 dB, low frequencies at the bottom
        writer.add_img("samples/spectrogram", picture, step);
        string wav = Path.Combine(Directory, "samples", string.Create(CultureInfo.InvariantCulture, $"step-{step:D7}.wav"));
        WavFile.Write(wav, new WavAudio(MuLaw.DecodeSamples(samples.Values[0]), samples.SampleRate!.Value));
    }
}
