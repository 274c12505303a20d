using Tractable.Models;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Audio;

/// <summary>WaveNet's structure checked through gradients: strict causality and the receptive field.</summary>
public sealed class WaveNetCausalityTests
{
    /// <summary>A small float64 WaveNet: two stacks of dilations 1, 2, 4 (receptive field 2 + 2·7 = 16).</summary>
    internal static WaveNet Small(int globalClasses = 0, int localFeatures = 0, int localHop = 3, LocalUpsampling upsampling = LocalUpsampling.Repeat, int levels = 256)
    {
        var config = new WaveNetConfig
        {
            SegmentLength = 40, Levels = levels, ResidualChannels = 6, SkipChannels = 8, Stacks = 2, MaxDilation = 4,
            GlobalClasses = globalClasses, LocalFeatures = localFeatures, LocalHop = localHop, LocalUpsampling = upsampling,
        };
        var model = (WaveNet)config.Build();
        model.to(float64);
        Jacobian.Randomize(model, 0.4, seed: 3);
        return model;
    }

    [Fact]
    public void OutputDependsExactlyOnThePreviousReceptiveFieldSamples()
    {
        WaveNet model = Small();
        Assert.Equal(16, model.ReceptiveField);
        const int T = 40;
        using var g = new Generator(5);
        Tensor input = rand([1, 256, T], float64, generator: g).requires_grad_(true);
        Tensor logits = model.Network.Forward(input);
        foreach (int t in new[] { 0, 1, 5, 17, 30, 39 })
        {
            Tensor grad = autograd.grad([logits.select(2, t).sum()], [input], retain_graph: true, allow_unused: true)[0];
            bool[] depends = grad.abs().sum(1).squeeze(0).gt(0).data<bool>().ToArray();
            for (int s = t; s < T; s++) Assert.False(depends[s], $"output {t} depends on input {s} >= {t}");
            int earliest = Array.IndexOf(depends, true);
            if (t == 0) Assert.Equal(-1, earliest);
            else Assert.Equal(Math.Max(0, t - model.ReceptiveField), earliest);
            if (t >= model.ReceptiveField) Assert.Equal(model.ReceptiveField, t - earliest);    // measured field = computed field
            for (int s = Math.Max(0, t - model.ReceptiveField); s < t; s++) Assert.True(depends[s], $"output {t} ignores input {s}");
        }
    }

    [Fact]
    public void DefaultConfigurationHasAReceptiveFieldOf2048()
    {
        var config = new WaveNetConfig();
        Assert.Equal(20, config.Dilations().Length);
        Assert.Equal(512, config.Dilations().Max());
        Assert.Equal(2048, config.ReceptiveField);
        using var model = (WaveNet)config.Build();
        Assert.Equal(2048, model.ReceptiveField);
    }
}
