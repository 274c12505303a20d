using Tractable.Models;
using Tractable.Networks;
using Tractable.Tests.Support;
using static TorchSharp.torch;

namespace Tractable.Tests.FastPaths;

/// <summary>
/// Glow's coupling network takes its ReLUs in place where no gradient is recorded: the same log-likelihood and samples
/// as with new maps, in both coupling layouts, and the network's input is left as it was.
/// </summary>
// The switch is thread-static, but the model's dequantization noise comes from the global generator.
[Collection(Sequential.Name)]
public sealed class GlowConditionerReluTests
{
    private static T With<T>(bool inPlace, Func<T> body) =>
        Switched.With(() => GlowConditioner.InPlaceRelu, v => GlowConditioner.InPlaceRelu = v, inPlace, body);

    [Theory]
    [InlineData(CouplingLayout.Split)]
    [InlineData(CouplingLayout.Masked)]
    public void DensityAndSamplesAreThoseOfNewMaps(CouplingLayout layout)
    {
        using var glow = new PerturbedGlow(layout, seed: 31);
        using var _ = no_grad();
        Tensor Density(bool inPlace) => With(inPlace, () => { manual_seed(32); return glow.Model.LogProb(glow.Images); });
        Tensor Samples(bool inPlace) => With(inPlace, () => { manual_seed(33); return glow.Model.Sample(5); });
        Tensor fresh = Density(false), inPlace = Density(true);
        Assert.True(fresh.isfinite().all().item<bool>());
        TensorAssert.Close(fresh, inPlace, 0, "log p with the ReLUs in place");
        TensorAssert.Close(Samples(false), Samples(true), 0, "samples with the ReLUs in place");
    }

    [Fact]
    public void TheNetworksInputIsLeftAsItWas()
    {
        manual_seed(34);
        var network = new GlowConditioner(2, 4, 16);
        using (no_grad())
            foreach (var p in network.parameters()) p.copy_(randn_like(p) * 0.3);
        Tensor x = randn(3, 2, 5, 5), before = x.clone();
        using var _ = no_grad();
        Tensor inPlace = With(true, () => network.Forward(x)), fresh = With(false, () => network.Forward(x));
        TensorAssert.Close(before, x, 0, "the input");
        TensorAssert.Close(fresh, inPlace, 0, "the output");
        Assert.True(inPlace.abs().sum().item<float>() > 0);
    }
}
