using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Models.Latent;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Latent;

/// <summary>The model contract of every VAE case: shapes, gradients, save/load, seeded reproducibility, sampling.</summary>
// Alone: its reproducibility checks seed libtorch's global generator, which tests running beside it draw from.
[Collection(Support.Sequential.Name)]
public sealed class VaeModelTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-vae-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [MemberData(nameof(VaeCases.Names), MemberType = typeof(VaeCases))]
    public void ElboTermsHaveOneValuePerExampleAndGradientsReachEveryParameter(string name)
    {
        Vae vae = VaeCases.Build(name);
        Tensor x = VaeCases.Data(vae.Settings, 6);
        using var g = new Generator(3);
        ElboTerms terms = vae.Elbo(x, g);
        Assert.Equal([6L], terms.Reconstruction.shape);
        Assert.Equal([6L], terms.Kl.shape);
        Assert.True(isfinite(terms.Elbo).all().item<bool>());
        terms.Elbo.sum().backward();
        var missing = vae.named_parameters().Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0).Select(p => p.name).ToArray();
        Assert.True(missing.Length == 0, $"{name}: no gradient reaches {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(VaeCases.Names), MemberType = typeof(VaeCases))]
    public void SaveThenLoadGivesTheIdenticalElboOnFixedNoise(string name)
    {
        Vae vae = VaeCases.Build(name);
        vae.eval();
        string dir = Path.Combine(folder, name);
        vae.Save(dir);
        var loaded = Assert.IsType<Vae>(DensityModel.Load(dir));
        Assert.Equal(vae.Settings, loaded.Settings);
        Tensor x = VaeCases.Data(vae.Settings, 5);
        using var _ = no_grad();
        Tensor Elbo(Vae m)
        {
            using var g = new Generator(4);
            return m.Elbo(x, g).Elbo;
        }
        Assert.True(Elbo(vae).eq(Elbo(loaded)).all().item<bool>(), $"{name}: the ELBO differs after a round trip");
        Tensor Samples(Vae m)
        {
            using var g = new Generator(5);
            return m.Sample(3, generator: g);
        }
        Assert.True(Samples(vae).eq(Samples(loaded)).all().item<bool>(), $"{name}: samples differ after a round trip");
    }

    [Theory]
    [MemberData(nameof(VaeCases.Names), MemberType = typeof(VaeCases))]
    public void SeededImportanceWeightedEstimatesAreReproducible(string name)
    {
        Vae vae = VaeCases.Build(name);
        Tensor x = VaeCases.Data(vae.Settings, 6);
        using var _ = no_grad();
        Tensor Estimate(ulong seed)
        {
            using var g = new Generator(seed);
            return vae.ImportanceWeightedLogProb(x, 12, g);
        }
        Tensor first = Estimate(7);
        Assert.Equal([6L], first.shape);
        Assert.True(isfinite(first).all().item<bool>());
        Assert.True(first.eq(Estimate(7)).all().item<bool>(), $"{name}: the same seed gives different estimates");
        Assert.False(first.eq(Estimate(8)).all().item<bool>(), $"{name}: different seeds give the same estimates");
    }

    /// <summary>All 12 samples of 6 examples in one decoder pass, or one sample per pass: the same estimate.</summary>
    [Theory]
    [InlineData("mlp-bernoulli-iaf")]
    [InlineData("mlp-pixelcnn-planar")]
    [InlineData("gaussian-vectors-radial")]
    public void ImportanceWeightedEstimateDoesNotDependOnThePassSize(string name)
    {
        Vae vae = VaeCases.Build(name);
        Tensor x = VaeCases.Data(vae.Settings, 6);
        using var _ = no_grad();
        Tensor Estimate(int pairsPerPass)
        {
            using var g = new Generator(7);
            return vae.ImportanceWeightedLogProb(x, 12, g, pairsPerPass);
        }
        Tensor onePass = Estimate(72), perSample = Estimate(6);
        Assert.True(onePass.allclose(perSample, rtol: 1e-5, atol: 1e-4), $"{name}: {onePass} vs {perSample}");
    }

    [Theory]
    [MemberData(nameof(VaeCases.Names), MemberType = typeof(VaeCases))]
    public void SamplesAndReconstructionsHaveTheDataShapeAndLevels(string name)
    {
        Vae vae = VaeCases.Build(name);
        VaeConfig c = vae.Settings;
        Tensor x = VaeCases.Data(c, 4);
        Tensor samples, reconstructions;
        using (var g = new Generator(6)) samples = vae.Sample(5, generator: g);
        using (var g = new Generator(6)) reconstructions = vae.Reconstruct(x, g);
        Assert.Equal([5L, .. c.EventShape], samples.shape);
        Assert.Equal(x.shape, reconstructions.shape);
        Assert.True(vae.training, "sampling leaves the training mode as it was");
        if (c.Features > 0) return;
        foreach (Tensor images in new[] { samples, reconstructions })
        {
            Assert.True(images.ge(0).all().item<bool>() && images.lt(c.Levels).all().item<bool>(), $"{name}: levels out of range");
            Assert.True(images.eq(images.round()).all().item<bool>(), $"{name}: levels are not integers");
        }
    }

    [Fact]
    public void LogProbIsTheImportanceWeightedEstimateWithTheConfiguredK()
    {
        Vae vae = VaeCases.Build("mlp-bernoulli-iaf");
        Tensor x = VaeCases.Data(vae.Settings, 4);
        using var _ = no_grad();
        manual_seed(11);
        Tensor viaLogProb = vae.LogProb(x);
        manual_seed(11);
        Tensor direct = vae.ImportanceWeightedLogProb(x, vae.Settings.ImportanceSamples);
        Assert.True(viaLogProb.eq(direct).all().item<bool>());
        Assert.Throws<ArgumentException>(() => vae.LogProb(x, ones(4, 2)));
    }

    [Fact]
    public void EvaluatorFiguresAreReproducibleAndConsistent()
    {
        Vae vae = VaeCases.Build("mlp-bernoulli-planar");
        var split = new Split(VaeCases.Data(vae.Settings, 30));
        ElboEstimate elbo = VariationalEvaluator.Elbo(vae, split, CPU, seed: 3, batchSize: 7);
        Assert.Equal(elbo, VariationalEvaluator.Elbo(vae, split, CPU, seed: 3, batchSize: 7));
        Assert.Equal(elbo.NegativeElbo.Mean, elbo.Kl.Mean + elbo.Reconstruction.Mean, 4);
        Assert.True(elbo.NegativeElbo.StandardError > 0);
        MeanEstimate nll = VariationalEvaluator.ImportanceWeightedNll(vae, split, samples: 50, CPU, seed: 3, batchSize: 7);
        Assert.Equal(nll, VariationalEvaluator.ImportanceWeightedNll(vae, split, samples: 50, CPU, seed: 3, batchSize: 7));
        // IW_50 is the tighter bound: −log p̂_50 below −ELBO (here by far more than the noise).
        Assert.True(nll.Mean < elbo.NegativeElbo.Mean, $"IW NLL {nll.Mean} above −ELBO {elbo.NegativeElbo.Mean}");
        Assert.Equal(30, nll.Count);
    }

    [Fact]
    public void InvalidConfigurationsNameTheirField()
    {
        Assert.Contains("FlowSteps", Assert.ThrowsAny<Exception>(() => new VaeConfig { FlowSteps = 2 }.Build()).Message);
        Assert.Contains("Bernoulli", Assert.ThrowsAny<Exception>(() => new VaeConfig { Levels = 256 }.Build()).Message);
        Assert.Contains("Features", Assert.ThrowsAny<Exception>(() => new VaeConfig { Decoder = DecoderKind.Gaussian }.Build()).Message);
        Assert.Contains("multiples of 4", Assert.ThrowsAny<Exception>(() => new VaeConfig { Height = 6, Width = 6, Architecture = VaeArchitecture.GatedConv }.Build()).Message);
        Assert.Throws<ArgumentException>(() => new VaeConfig().ForData([2, 3], null));
        Assert.Equal(DecoderKind.DiscretizedLogistic, new VaeConfig().ForData([1, 28, 28], 256).Decoder);
        Assert.Equal(DecoderKind.Gaussian, new VaeConfig().ForData([7], null).Decoder);
    }

    /// <summary>β rises linearly from 0 to 1 over the warm-up; free bits hold the KL term at λ·D when the KL is smaller.</summary>
    [Fact]
    public void ObjectiveWeighsTheKlByTheWarmUpAndFreeBits()
    {
        Vae vae = VaeCases.Build("mlp-bernoulli-iaf");
        var data = new DataSplits("images", new Split(VaeCases.Data(vae.Settings, 40)), new Split(VaeCases.Data(vae.Settings, 10, 3)), new Split(VaeCases.Data(vae.Settings, 10, 4)));
        var warm = new EvidenceLowerBound(data, CPU, warmupSteps: 100);
        Assert.Equal(0.0, warm.KlWeight(0));
        Assert.Equal(0.25, warm.KlWeight(25));
        Assert.Equal(1.0, warm.KlWeight(500));
        (Tensor Loss, ElboTerms Terms) At(EvidenceLowerBound objective, int step)
        {
            using var g1 = new Generator(9);
            using var g2 = new Generator(9);
            Tensor loss = objective.Loss(vae, 8, step, g1);
            Tensor idx = randint(0, 40, [8], generator: g2);
            return (loss, vae.Elbo(data.Train.X.index_select(0, idx), g2));
        }
        (Tensor loss, ElboTerms terms) = At(warm, 25);
        Assert.Equal((-terms.Reconstruction.mean() + 0.25 * terms.Kl.mean()).item<float>(), loss.item<float>(), 4);
        var free = new EvidenceLowerBound(data, CPU, freeBits: 1000);
        (loss, terms) = At(free, 0);
        Assert.Equal((-terms.Reconstruction.mean()).item<float>() + 1000f * vae.Latent, loss.item<float>(), 1);
        Assert.Throws<ArgumentException>(() => warm.Validate(new Tractable.Models.RealNvpConfig().Build()));
    }

    [Fact]
    public void TrainingLowersTheValidationBound()
    {
        // Two noisy prototypes of 8×8 binary images: a VAE must learn to tell them apart.
        using var g = new Generator(12);
        Tensor prototypes = randint(0, 2, [2, 1, 8, 8], generator: g).to(float32);
        Tensor Draw(long n)
        {
            Tensor which = randint(0, 2, [n], generator: g);
            Tensor flip = rand([n, 1, 8, 8], generator: g).lt(0.05).to(float32);
            return (prototypes.index_select(0, which) - flip).abs();
        }
        var data = new DataSplits("prototypes", new Split(Draw(512)), new Split(Draw(128)), new Split(Draw(128)));
        Vae vae = VaeCases.Build("mlp-bernoulli-planar");
        var objective = new EvidenceLowerBound(data, CPU, warmupSteps: 50);
        double before = objective.Validate(vae);
        var result = new Trainer(new TrainerOptions { Steps = 300, BatchSize = 64, LearningRate = 1e-2, WarmupSteps = 20, EvalEvery = 300 })
            .Fit(vae, objective, CPU);
        Assert.True(result.BestValidation < before - 10, $"−ELBO went from {before:F1} to {result.BestValidation:F1}");
    }
}
