using Tractable.Evaluation;
using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Audio;

/// <summary>
/// Naive and fast (queued) generation give the same audio for the same generator; the likelihood is normalized;
/// chunked evaluation equals one pass. Models are float64, where the two generation paths' logits agree to ~1e-15,
/// so the inverse-CDF draws agree unless a uniform falls within that distance of a CDF step.
/// </summary>
public sealed class WaveNetGenerationTests
{
    /// <summary>Batches up to <see cref="WaveNet.FusedBatchLimit"/> take the fused step, larger ones the tensor queues.</summary>
    [Theory]
    [InlineData(false, false, LocalUpsampling.Repeat, 1.0, 2)]
    [InlineData(true, false, LocalUpsampling.Repeat, 0.8, 2)]
    [InlineData(true, true, LocalUpsampling.Repeat, 1.0, 2)]
    [InlineData(false, true, LocalUpsampling.Transposed, 1.3, 2)]
    [InlineData(false, false, LocalUpsampling.Repeat, 1.0, 1)]
    [InlineData(true, true, LocalUpsampling.Repeat, 0.9, 1)]
    [InlineData(false, false, LocalUpsampling.Repeat, 1.0, WaveNet.FusedBatchLimit + 1)]
    [InlineData(true, true, LocalUpsampling.Transposed, 1.1, WaveNet.FusedBatchLimit + 1)]
    public void NaiveAndFastGenerationAreIdentical(bool global, bool local, LocalUpsampling upsampling, double temperature, int batch)
    {
        WaveNet model = WaveNetCausalityTests.Small(global ? 3 : 0, local ? 2 : 0, localHop: 3, upsampling);
        const int length = 45;                                               // longer than the receptive field (16)
        using var cg = new Generator(9);
        Tensor? g = global ? model.ContextFromLabels(arange(batch) % 3) : null;
        Tensor? l = local ? randn([batch, 2, 15], float64, generator: cg) : null;

        using var g1 = new Generator(42);
        Tensor naive = model.Generate(batch, length, fast: false, g1, temperature, g, l);
        using var g2 = new Generator(42);
        Tensor fast = model.Generate(batch, length, fast: true, g2, temperature, g, l);
        Assert.Equal(naive.data<long>().ToArray(), fast.data<long>().ToArray());
        Assert.True(naive.unique().output.shape[0] > 5, "the random model should produce varied samples");
    }

    [Fact]
    public void FastStepLogitsMatchTheFullForwardPass()
    {
        WaveNet model = WaveNetCausalityTests.Small(globalClasses: 2, localFeatures: 2);
        using var gen = new Generator(3);
        Tensor x = randint(0, 256, [2, 30], generator: gen);
        Tensor glob = model.ContextFromLabels(tensor(new long[] { 1, 0 }))!;
        Tensor local = randn([2, 2, 10], float64, generator: gen);
        using var _ = no_grad();
        Tensor full = model.Logits(x, glob, local);                                  // [B, Q, T]
        using var incremental = new Networks.WaveNet.IncrementalWaveNet(model.Network, 2, 30, glob, local);
        Tensor previous = zeros([2, 256], float64);
        for (int t = 0; t < 30; t++)
        {
            Tensor step = incremental.Step(previous);
            Assert.True(step.allclose(full.select(2, t), rtol: 1e-9, atol: 1e-10), $"step {t} differs");
            previous = nn.functional.one_hot(x.select(1, t), 256).to(float64);
        }
    }

    [Fact]
    public void FusedStepLogitsMatchTheFullForwardPass()
    {
        WaveNet model = WaveNetCausalityTests.Small(globalClasses: 2, localFeatures: 2);
        using var gen = new Generator(4);
        Tensor x = randint(0, 256, [2, 30], generator: gen);
        Tensor glob = model.ContextFromLabels(tensor(new long[] { 1, 0 }))!;
        Tensor local = randn([2, 2, 10], float64, generator: gen);
        using var _ = no_grad();
        Tensor full = model.Logits(x, glob, local).permute(0, 2, 1).contiguous();   // [B, T, Q]
        using var fused = new Networks.WaveNet.FusedWaveNet<double>(model.Network, 2, 30, glob, local);
        long[] previous = [-1, -1];
        for (int t = 0; t < 30; t++)
        {
            double[] step = fused.Step(previous).ToArray();
            double[] expected = full.select(1, t).flatten().data<double>().ToArray();
            for (int i = 0; i < step.Length; i++) Assert.True(Math.Abs(step[i] - expected[i]) < 1e-10, $"step {t}, logit {i}: {step[i]} vs {expected[i]}");
            previous = [x[0, t].item<long>(), x[1, t].item<long>()];
        }
    }

    [Fact]
    public void FloatModelGeneratesTheSameAudioBothWays()
    {
        // The default float32 model at batch 1 (the fused step): naive and fast logits differ only by float rounding.
        manual_seed(5);
        var model = (WaveNet)new WaveNetConfig { Stacks = 1, MaxDilation = 64, ResidualChannels = 16, SkipChannels = 32 }.Build();
        using var g1 = new Generator(21);
        Tensor naive = model.Generate(1, 300, fast: false, g1);
        using var g2 = new Generator(21);
        Tensor fast = model.Generate(1, 300, fast: true, g2);
        Assert.Equal(naive.data<long>().ToArray(), fast.data<long>().ToArray());
        Assert.True(naive.unique().output.shape[0] > 20, "the random model should produce varied samples");
    }

    [Fact]
    public void LikelihoodSumsToOneOverEverySequence()
    {
        // Exhaustive enumeration: 16 levels, length 3 → 4096 sequences; Σ p(x) = 1 (global conditioning on).
        WaveNet model = WaveNetCausalityTests.Small(globalClasses: 2, levels: 16);
        Tensor all = stack([arange(4096) / 256, arange(4096) / 16 % 16, arange(4096) % 16], 1);
        using var _ = no_grad();
        foreach (long label in new long[] { 0, 1 })
        {
            Tensor context = model.ContextFromLabels(full([4096], label, int64))!;
            double logTotal = model.LogProb(all, context).logsumexp(0).item<double>();
            Assert.Equal(0, logTotal, 9);
        }
    }

    [Fact]
    public void ChunkedEvaluationEqualsOnePass()
    {
        WaveNet model = WaveNetCausalityTests.Small();
        using var gen = new Generator(8);
        Tensor[] files = [randint(0, 256, [100], generator: gen), randint(0, 256, [37], generator: gen)];
        SequenceScore chunked = SequenceEvaluator.Evaluate(model, files, CPU, chunk: 7);
        double onePass;
        using (no_grad())
            onePass = -files.Sum(f => model.LogProb(f.unsqueeze(0)).item<double>());
        Assert.Equal(137, chunked.Samples);
        Assert.Equal(onePass, chunked.TotalNats, 8);
        Assert.Equal(chunked.NatsPerSample / Math.Log(2), chunked.BitsPerSample, 12);
    }

    [Fact]
    public void SampleDrawsSegmentsOfTheConfiguredLength()
    {
        WaveNet model = WaveNetCausalityTests.Small();
        using var g = new Generator(1);
        Tensor s = model.Sample(3, generator: g);
        Assert.Equal(new long[] { 3, 40 }, s.shape);
        Assert.True(s.min().item<float>() >= 0 && s.max().item<float>() <= 255);
        Assert.True(model.LogProb(s).isfinite().all().item<bool>());
    }
}
