using System.Runtime.Intrinsics;
using Tractable.Models;
using Tractable.Tests.Support;
using TorchSharp;
using static Tractable.Tests.Support.LibTorchThreads;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// WaveNet's density without gradients over rows <c>[B, T, C]</c>, its causal and 1×1 convolutions on the window
/// kernel's AVX-512 blocks, against the same float32 network's logits under autograd (the trunk in <c>[B, C, T]</c>,
/// libtorch's convolutions) and against float64: unconditioned, globally and locally conditioned, on one and two threads.
/// Where the processor has no AVX-512 the rows path is not taken and the values must still agree.
/// </summary>
// The tests set libtorch's thread count and draw from the global generator: global state.
[Collection(Sequential.Name)]
public sealed class WaveNetRowsTests
{
    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(3, 0, 1)]
    [InlineData(0, 2, 2)]
    public void DensityOverRowsEqualsTheLogitsOfTheNetwork(int globalClasses, int localFeatures, int threads)
    {
        manual_seed(11);
        var config = new WaveNetConfig
        {
            SegmentLength = 64, ResidualChannels = 32, SkipChannels = 32, Stacks = 2, MaxDilation = 8,
            GlobalClasses = globalClasses, LocalFeatures = localFeatures, LocalHop = 4,
        };
        var model = (WaveNet)config.Build();
        Jacobian.Randomize(model, 0.2, seed: 12);
        using var g = new Generator(13);
        Tensor x = randint(0, 256, [3, 70], generator: g);
        Tensor? global = globalClasses > 0 ? model.ContextFromLabels(tensor(new long[] { 0, 2, 1 })) : null;
        Tensor? local = localFeatures > 0 ? randn([3, localFeatures, 18], generator: g) : null;

        // Under autograd: the [B, C, T] trunk with libtorch's convolutions.
        Tensor logits = model.Logits(x, global, local).transpose(1, 2);
        Tensor expected = logits.log_softmax(2).gather(2, x.unsqueeze(2)).squeeze(2).detach();
        OnKernelThreads(threads, () =>
        {
            using var _ = no_grad();
            Tensor h = randn(3, 70, 32);
            Assert.Equal(Vector512.IsHardwareAccelerated, model.Network.Blocks[0].TakesRows(h));
            Tensor actual = model.LogProbPerStep(x, global, local);
            TensorAssert.Close(expected, actual, 2e-5, $"log p per step ({globalClasses} classes, {localFeatures} local features, {threads} threads)");

            model.to(float64);
            Tensor exact = model.LogProbPerStep(x, global?.to(float64), local?.to(float64)).to(ScalarType.Float32);
            TensorAssert.Close(exact, actual, 2e-4, "log p per step against float64");
            return 0;
        });
    }
}
