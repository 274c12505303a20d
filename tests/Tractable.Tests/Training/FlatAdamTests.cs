using Tractable.Networks;
using Tractable.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using FlatAdamL2 = Tractable.Training.Adam;
using FlatAdamW = Tractable.Training.AdamW;

namespace Tractable.Tests.Training;

/// <summary>
/// The flat-buffer Adam and AdamW take the same steps as TorchSharp's per-parameter ports of torch.optim.Adam/AdamW,
/// in float64, with weight decay, gradient clipping and a save/load of their state in the middle.
/// </summary>
public sealed class FlatAdamTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-adam-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Two identical small networks in float64 (the second a copy of the first).</summary>
    private static (Mlp A, Mlp B) Twins()
    {
        var a = new Mlp(3, 4, 8, 2, zeroInitOutput: false);
        var b = new Mlp(3, 4, 8, 2, zeroInitOutput: false);
        a.to(float64);
        b.to(float64);
        b.load_state_dict(a.state_dict());
        return (a, b);
    }

    private static Tensor Batch(int step)
    {
        using var g = new Generator((ulong)(100 + step));
        return randn([16, 3], dtype: float64, generator: g);
    }

    /// <summary>A loss with gradients of varied size (so that the per-parameter second moments differ).</summary>
    private static void Backward(Mlp net, int step)
    {
        Tensor y = net.Forward(Batch(step));
        (y.square().mean() + (y.narrow(1, 0, 1) * 3).sin().mean()).backward();
    }

    private static void Train(Mlp net, optim.Optimizer optimizer, int from, int to, double clip = 0)
    {
        for (int step = from; step < to; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Backward(net, step);
            if (clip > 0)
            {
                if (optimizer is FlatAdam flat) flat.ClipGradientNorm(clip);
                else nn.utils.clip_grad_norm_(net.parameters(), clip);
            }
            optimizer.step();
        }
    }

    private static double MaxDifference(nn.Module a, nn.Module b) =>
        a.parameters().Zip(b.parameters(), (p, q) => (p - q).abs().max().item<double>()).Max();

    public static IEnumerable<object[]> Variants =>
    [
        ["adam", 0.0, 0.0], ["adam", 0.1, 0.0], ["adamw", 0.0, 0.0], ["adamw", 0.1, 0.0], ["adamw", 0.1, 0.05],
    ];

    private static optim.Optimizer Reference(string kind, Mlp net, double decay) => kind == "adam"
        ? optim.Adam(net.parameters(), 0.01, weight_decay: decay)
        : optim.AdamW(net.parameters(), 0.01, weight_decay: decay);

    private static FlatAdam Flat(string kind, Mlp net, double decay) => kind == "adam"
        ? new FlatAdamL2(net.parameters(), 0.01, weightDecay: decay)
        : new FlatAdamW(net.parameters(), 0.01, weightDecay: decay);

    [Theory]
    [MemberData(nameof(Variants))]
    public void SameTrajectoryAsTorchSharpsAdam(string kind, double decay, double clip)
    {
        var (a, b) = Twins();
        Tensor initial = a.parameters().First().detach().clone();
        using optim.Optimizer reference = Reference(kind, a, decay);
        using FlatAdam flat = Flat(kind, b, decay);
        Train(a, reference, 0, 30, clip);
        Train(b, flat, 0, 30, clip);
        Assert.Equal(30, flat.Steps);
        Assert.True((a.parameters().First() - initial).abs().max().item<double>() > 0.05, "the weights must have moved");
        Assert.True(MaxDifference(a, b) < 1e-12, $"{kind}, decay {decay}, clip {clip}: trajectories differ by {MaxDifference(a, b):G3}");
    }

    [Fact]
    public void FirstStepMovesEachWeightByTheLearningRateAgainstItsGradient()
    {
        // Algorithm 1 at t = 1: m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
        var (net, _) = Twins();
        using var flat = new FlatAdamL2(net.parameters(), 0.01);
        Tensor before = net.parameters().Select(p => p.detach().flatten()).Aggregate((x, y) => cat([x, y])).clone();
        Backward(net, 0);
        Tensor g = flat.Gradients.clone();
        flat.step();
        Tensor after = net.parameters().Select(p => p.detach().flatten()).Aggregate((x, y) => cat([x, y]));
        Tensor expected = before - 0.01 * g / (g.abs() + 1e-8);
        Assert.True((after - expected).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void ParametersAndGradientsAreViewsOfTheBuffers()
    {
        var (net, _) = Twins();
        using var flat = new FlatAdamW(net.parameters(), 0.01);
        Backward(net, 0);
        Tensor joined = net.parameters().Select(p => p.grad!.flatten()).Aggregate((x, y) => cat([x, y]));
        Assert.True((joined - flat.Gradients).abs().max().item<double>() == 0, "backward accumulates into the flat gradient buffer");
        Assert.True(flat.Gradients.abs().sum().item<double>() > 0);

        Backward(net, 0);                                   // accumulates: twice the gradient
        Assert.True((flat.Gradients - 2 * joined).abs().max().item<double>() < 1e-12);

        flat.zero_grad();
        Assert.True(net.parameters().All(p => p.grad!.abs().sum().item<double>() == 0), "one zero_ clears every gradient");

        // Loading weights writes through to the optimizer's buffer.
        var (other, _) = Twins();
        net.load_state_dict(other.state_dict());
        Assert.Equal(0, MaxDifference(net, other));
    }

    [Fact]
    public void DecoupledWeightDecayAloneShrinksEveryWeight()
    {
        var (net, _) = Twins();
        Tensor before = net.parameters().First().detach().clone();
        using var flat = new FlatAdamW(net.parameters(), lr: 0.1, weightDecay: 0.5);
        flat.zero_grad();                                   // a zero gradient: only the decay acts
        flat.step();
        Assert.True((net.parameters().First() - before * (1 - 0.1 * 0.5)).abs().max().item<double>() < 1e-15);
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void StateSavedAndLoadedContinuesTheSameTrajectory(string kind)
    {
        var (a, b) = Twins();
        using FlatAdam first = Flat(kind, a, 0.1);
        Train(a, first, 0, 10);
        string file = Path.Combine(folder, "optimizer.bin");
        first.save_state_dict(file);
        b.load_state_dict(a.state_dict());
        using FlatAdam second = Flat(kind, b, 0.1);
        second.load_state_dict(file);
        Assert.Equal(10, second.Steps);
        Train(a, first, 10, 20);
        Train(b, second, 10, 20);
        Assert.True(MaxDifference(a, b) < 1e-14, "a reloaded optimizer continues the trajectory");
    }

    [Fact]
    public void ResumesFromTheStateFileOfTorchSharpsAdamW()
    {
        // Checkpoints written before the flat optimizer existed hold TorchSharp's AdamW state: they must load.
        var (a, b) = Twins();
        using optim.Optimizer reference = optim.AdamW(a.parameters(), 0.01, weight_decay: 0.1);
        Train(a, reference, 0, 10);
        string file = Path.Combine(folder, "optimizer.bin");
        ((OptimizerHelper)reference).save_state_dict(file);
        b.load_state_dict(a.state_dict());
        using var flat = new FlatAdamW(b.parameters(), 0.01, weightDecay: 0.1);
        flat.load_state_dict(file);
        Train(a, reference, 10, 20);
        Train(b, flat, 10, 20);
        Assert.True(MaxDifference(a, b) < 1e-12);
    }

    [Fact]
    public void ClippingTheBufferEqualsClipGradNorm()
    {
        var (a, b) = Twins();
        using var flat = new FlatAdamW(b.parameters(), 0.01);
        Backward(a, 3);
        Backward(b, 3);
        double expected = nn.utils.clip_grad_norm_(a.parameters(), 0.05);
        double norm = flat.ClipGradientNorm(0.05);
        Assert.Equal(expected, norm, 10);
        Assert.True(norm > 0.05, "the test must actually clip");
        foreach (var (p, q) in a.parameters().Zip(b.parameters()))
            Assert.True((p.grad! - q.grad!).abs().max().item<double>() < 1e-14);
    }
}
