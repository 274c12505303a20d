using System.Text.Json;
using Tractable.Cli;
using Tractable.Data;
using Tractable.Data.Audio;
using Tractable.Models;
using Tractable.Tests.Data;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;
using Tractable.Tests.Support;

namespace Tractable.Tests.Audio;

/// <summary>The speech data split, random crops, save/load, and train → eval → sample through the CLI on a tiny synthetic speech folder.</summary>
[Collection(Support.Sequential.Name)]
public sealed class SpeechTrainingTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>
    /// Writes <paramref name="count"/> short tone-and-noise WAVs (some in a sub-folder) at 8 kHz, each longer than the
    /// receptive field of the smallest WaveNet (1,025 samples) so that any of them may be held out.
    /// </summary>
    private string SyntheticSpeech(int count)
    {
        string root = Path.Combine(folder, "speech");
        var random = new Random(1);
        for (int i = 0; i < count; i++)
        {
            string dir = i % 3 == 0 ? Path.Combine(root, "sub") : root;
            var samples = Enumerable.Range(0, 1100 + 37 * i)
                .Select(t => (short)(8000 * Math.Sin(t * (0.05 + 0.01 * i)) + random.Next(-300, 300))).ToArray();
            WavFile.Write(Path.Combine(dir, $"f{i:D2}.wav"), Pcm16.Audio(samples, 8000));
        }
        return root;
    }

    [Fact]
    public void FilesAreSplitDeterministicallyAndDisjointly()
    {
        string root = SyntheticSpeech(20);
        SpeechDataset a = SpeechDataset.Load(root, new DataOptions { Seed = 3 }), b = SpeechDataset.Load(root, new DataOptions { Seed = 3 }),
            c = SpeechDataset.Load(root, new DataOptions { Seed = 4 });
        Assert.Equal(2, a.Test.Count);                                             // 10% of 20 files
        Assert.Single(a.Validation);                                               // 5%
        long total = Enumerable.Range(0, 20).Sum(i => 1100L + 37 * i);
        Assert.Equal(total, a.Train.shape[0] + a.Test.Sum(t => t.shape[0]) + a.Validation.Sum(t => t.shape[0]));
        Assert.Equal(a.Test.Select(t => t.shape[0]), b.Test.Select(t => t.shape[0]));
        Assert.True(a.Train.eq(b.Train).all().item<bool>());
        Assert.False(a.Train.shape[0] == c.Train.shape[0] && a.Train.eq(c.Train).all().item<bool>());
        Assert.Equal(8000, a.SampleRate);
        Assert.True(a.Train.min().item<long>() >= 0 && a.Train.max().item<long>() <= 255);
    }

    [SkippableSharedDataFact]
    public void SharedSpeechFolderLoads()
    {
        SpeechDataset speech = SpeechDataset.Load(Path.Combine(CsvTableTests.SharedData, "speech/en_US_f_Allison"));
        Assert.Equal(8000, speech.SampleRate);
        Assert.Equal(57, speech.Test.Count);                                      // 568 files: 10% test, 5% validation
        Assert.Equal(28, speech.Validation.Count);
        long total = speech.Train.shape[0] + speech.Test.Sum(t => t.shape[0]) + speech.Validation.Sum(t => t.shape[0]);
        Assert.Equal(12_229_778, total);                                          // every sample of the 568 files, about 25.5 minutes
    }

    [Fact]
    public void AMissingFolderIsAClearError() =>
        Assert.Throws<DirectoryNotFoundException>(() => SpeechDataset.Load(Path.Combine(folder, "nowhere")));

    [Fact]
    public void CropsAreContiguousPiecesOfTheStream()
    {
        Tensor stream = arange(1000);
        using var g = new Generator(2);
        Tensor crops = SequenceMaximumLikelihood.Crops(stream, 50, 64, g);
        Assert.Equal(new long[] { 50, 64 }, crops.shape);
        Tensor steps = crops.narrow(1, 1, 63) - crops.narrow(1, 0, 63);
        Assert.True(steps.eq(1).all().item<bool>());
        Assert.True(crops.min().item<long>() >= 0 && crops.max().item<long>() < 1000);
        Tensor padded = SequenceMaximumLikelihood.Crops(arange(10), 2, 16, g);        // shorter than a crop: silence after
        Assert.Equal(MuLaw.SilenceLevel, padded[0, 15].item<long>());
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalLikelihoods()
    {
        WaveNet model = WaveNetCausalityTests.Small(globalClasses: 2, localFeatures: 2, upsampling: LocalUpsampling.Transposed);
        model.to(float32);                                                          // models are saved as built: float32
        using var g = new Generator(4);
        Tensor x = randint(0, 256, [2, 30], generator: g);
        Tensor local = randn([2, 2, 10], generator: g);
        string dir = Path.Combine(folder, "model");
        model.Save(dir);
        var loaded = (WaveNet)DensityModel.Load(dir);
        Tensor glob = model.ContextFromLabels(tensor(new long[] { 0, 1 }))!;
        Assert.True(model.LogProbPerStep(x, glob, local).allclose(loaded.LogProbPerStep(x, glob, local)));
        Assert.Equal(model.Config, loaded.Config);
    }

    [Fact]
    public void TrainEvalSampleThroughTheCli()
    {
        string root = SyntheticSpeech(20);
        string run = Path.Combine(folder, "run");
        Assert.Equal(0, TractableCli.Run(["train", "--model", "wavenet", "--data", $"speech:{root}", "--out", run, "--layers", "1", "--hidden", "4",
            "--crop", "128", "--batch-size", "2", "--steps", "4", "--eval-every", "2", "--threads", "1"]));
        JsonElement m = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json"))).RootElement;
        Assert.Equal(1025, m.GetProperty("receptive_field").GetInt32());
        double nats = m.GetProperty("nll_nats").GetDouble();
        Assert.InRange(nats, 0.5, 7);
        Assert.Equal(nats / Math.Log(2), m.GetProperty("bits_per_dim").GetDouble(), 9);

        Assert.Equal(0, TractableCli.Run(["eval", "--run", run, "--split", "validation", "--out", Path.Combine(folder, "eval")]));
        string wav = Path.Combine(folder, "s.wav"), png = Path.Combine(folder, "s.png");
        Assert.Equal(0, TractableCli.Run(["sample", "--run", run, "--seconds", "0.02", "--seed", "3", "--fast", "true", "--out", wav, "--spectrogram", png]));
        Assert.Equal(160, WavFile.Read(wav).Samples.Length);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png).Take(4).ToArray());
        Assert.Equal(0, TractableCli.Run(["spectrogram", "--wav", wav]));
        Assert.Equal(2, TractableCli.Run(["sample", "--run", run, "--out", Path.Combine(folder, "s.csv")]));
        Assert.Equal(2, TractableCli.Run(["train", "--model", "realnvp", "--data", $"speech:{root}", "--out", Path.Combine(folder, "bad")]));
    }
}
