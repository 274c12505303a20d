using Tractable.Models;
using Tractable.Networks;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// The hidden activations that MLPs and MADEs write into two reused buffers where no gradient is recorded: the same
/// outputs as fresh tensors, outputs that the next network cannot overwrite, any batch size, type and thread.
/// </summary>
// The tests switch the buffers off on their own thread only, but two of them compare against runs on other threads.
[Collection(Sequential.Name)]
public sealed class HiddenBuffersTests
{
    /// <summary><paramref name="body"/>'s value with the buffers lent or not.</summary>
    private static T With<T>(bool lent, Func<T> body) => Switched.With(() => HiddenBuffers.Enabled, v => HiddenBuffers.Enabled = v, lent, body);

    private static Made NewMade(int features, int hiddenLayers, int contextFeatures = 0) =>
        new(features, 2, 48, hiddenLayers, Made.Degrees(FeatureOrder.Random, features, seed: 3), contextFeatures, zeroInitOutput: false);

    [Theory]
    [InlineData(Activation.Relu, 1)]
    [InlineData(Activation.Relu, 3)]
    [InlineData(Activation.Tanh, 2)]
    public void AnMlpGivesTheOutputsOfFreshLayers(Activation activation, int hiddenLayers)
    {
        manual_seed(1);
        var mlp = new Mlp(5, 12, 64, hiddenLayers, activation: activation, zeroInitOutput: false);
        Tensor x = randn(37, 5);
        Tensor recorded = mlp.Forward(x);                         // under autograd: every layer fresh
        Assert.True(recorded.requires_grad);
        using var _ = no_grad();
        Tensor lent = With(true, () => mlp.Forward(x)), fresh = With(false, () => mlp.Forward(x));
        TensorAssert.Close(fresh, lent, 1e-6, "the MLP with the buffers");
        TensorAssert.Close(recorded.detach(), lent, 1e-6, "the MLP under autograd");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(3, 0)]
    [InlineData(2, 4)]     // conditional: the context joins the first hidden layer
    public void AMadeGivesTheOutputsOfFreshLayers(int hiddenLayers, int contextFeatures)
    {
        manual_seed(2);
        Made made = NewMade(6, hiddenLayers, contextFeatures);
        Tensor x = randn(29, 6);
        Tensor? context = contextFeatures > 0 ? randn(29, contextFeatures) : null;
        Tensor recorded = made.Forward(x, context).detach();
        using var _ = no_grad();
        Tensor lent = With(true, () => made.Forward(x, context)), fresh = With(false, () => made.Forward(x, context));
        TensorAssert.Close(fresh, lent, 1e-6, "MADE with the buffers");
        TensorAssert.Close(recorded, lent, 1e-6, "MADE under autograd");
    }

    [Fact]
    public void AnOutputSurvivesTheNextNetworksPass()
    {
        manual_seed(3);
        var first = new Mlp(4, 8, 32, 2, zeroInitOutput: false);
        var second = new Mlp(4, 8, 32, 2, zeroInitOutput: false);
        Made made = NewMade(4, 2);
        using var _ = no_grad();
        Tensor x = randn(16, 4);
        Tensor y = first.Forward(x), kept = y.clone();
        Tensor m = made.Forward(x), keptM = m.clone();
        second.Forward(randn(16, 4));
        NewMade(4, 3).Forward(randn(16, 4));
        first.Forward(randn(16, 4));
        Assert.True(y.eq(kept).all().item<bool>(), "an MLP's output was overwritten by later passes");
        Assert.True(m.eq(keptM).all().item<bool>(), "a MADE's output was overwritten by later passes");
    }

    [Fact]
    public void APartlyFrozenNetworkKeepsWhatItsBackwardReads()
    {
        // The first layer frozen: its output is what the second layer's backward reads. Two forward passes before
        // one backward must not overwrite it, whether or not the buffers are lent.
        manual_seed(7);
        var mlp = new Mlp(4, 6, 32, 3, zeroInitOutput: false);
        Made made = NewMade(4, 3);
        foreach (nn.Module net in new nn.Module[] { mlp, made })
        {
            var first = net.named_parameters().Where(p => p.name.Contains("0.")).Select(p => p.parameter).ToArray();
            Assert.NotEmpty(first);
            foreach (var p in first) p.requires_grad_(false);
            var trained = net.parameters().Where(p => p.requires_grad).ToArray();
            Tensor x1 = randn(8, 4), x2 = randn(8, 4);
            Func<Tensor, Tensor> forward = net is Mlp m ? t => m.Forward(t) : t => ((Made)net).Forward(t);
            Tensor[] Gradients(bool lent) => With(lent, () =>
            {
                Tensor loss = forward(x1).square().sum() + forward(x2).sum();
                return autograd.grad([loss], trained).ToArray();
            });
            Tensor[] expected = Gradients(false), actual = Gradients(true);
            for (int i = 0; i < expected.Length; i++) TensorAssert.Close(expected[i], actual[i], 1e-6, $"{net.GetType().Name} gradient {i}");
        }
    }

    [Fact]
    public void FlowsScoreAsWithFreshLayersAtAnyBatchSizeAndType()
    {
        manual_seed(4);
        DensityModel[] models =
        [
            new RealNvpConfig { Features = 6, Couplings = 4, HiddenFeatures = 40, HiddenLayers = 2 }.Build(),
            new MafConfig { Features = 6, Layers = 3, HiddenFeatures = 40, HiddenLayers = 2 }.Build(),
        ];
        foreach (DensityModel model in models)
        {
            Perturb(model);
            model.eval();
            using var _ = no_grad();
            // Batch sizes that grow and shrink the buffers, then the model in float64 and back.
            foreach (int n in new[] { 3, 300, 7 })
            {
                Tensor x = randn(n, 6);
                TensorAssert.Close(With(false, () => model.LogProb(x)), With(true, () => model.LogProb(x)), 1e-5, $"{model.GetType().Name} at batch {n}");
            }
            model.to(float64);
            Tensor x64 = randn(50, 6, dtype: float64);
            TensorAssert.Close(With(false, () => model.LogProb(x64)), With(true, () => model.LogProb(x64)), 1e-12, $"{model.GetType().Name} in float64");
            model.to(float32);
            Tensor x32 = randn(50, 6);
            TensorAssert.Close(With(false, () => model.LogProb(x32)), With(true, () => model.LogProb(x32)), 1e-5, $"{model.GetType().Name} back in float32");
        }
    }

    [Fact]
    public void ActivationsPastTheCapAreFresh()
    {
        using var _ = no_grad();
        Tensor like = zeros(1);
        Assert.Null(HiddenBuffers.Rent(0, HiddenBuffers.MostElements / 64 + 1, 64, like));
        Tensor? lent = HiddenBuffers.Rent(1, HiddenBuffers.MostElements / 64, 64, like);
        Assert.NotNull(lent);
        Assert.Equal([HiddenBuffers.MostElements / 64, 64L], lent!.shape);

        manual_seed(5);
        var mlp = new Mlp(3, 4, 64, 2, zeroInitOutput: false);
        Tensor x = randn(HiddenBuffers.MostElements / 64 + 10, 3);
        TensorAssert.Close(With(false, () => mlp.Forward(x)), With(true, () => mlp.Forward(x)), 1e-6, "an MLP past the cap");
    }

    [Fact]
    public void ThreadsScoreConcurrentlyAsAlone()
    {
        manual_seed(6);
        DensityModel[] models = Enumerable.Range(0, 2)
            .Select(_ => new RealNvpConfig { Features = 4, Couplings = 4, HiddenFeatures = 32, HiddenLayers = 2 }.Build()).ToArray();
        Tensor[] data = [randn(64, 4), randn(64, 4)];
        foreach (DensityModel model in models)
        {
            Perturb(model);
            model.eval();
        }
        Tensor[] alone;
        using (no_grad()) alone = models.Select((m, i) => m.LogProb(data[i])).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            using var _ = no_grad();
            for (int round = 0; round < 40; round++)
            {
                using var scope = NewDisposeScope();
                if (!models[i].LogProb(data[i]).eq(alone[i]).all().item<bool>()) failures.Add($"model {i}, round {round}");
            }
        })).ToArray();
        foreach (Thread t in threads) t.Start();
        foreach (Thread t in threads) t.Join();
        Assert.Empty(failures);
    }

    /// <summary>Moves every parameter off its initialization, so that zero-initialized output layers do not hide the hidden ones.</summary>
    private static void Perturb(nn.Module model)
    {
        using var _ = no_grad();
        foreach (var p in model.parameters()) p.add_(randn_like(p) * 0.1);
    }
}
