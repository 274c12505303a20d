using Tractable.Models.Latent;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Latent;

/// <summary>Tiny VAEs covering every architecture, decoder and posterior, and data to match.</summary>
public static class VaeCases
{
    private static readonly VaeConfig Small = new() { Height = 8, Width = 8, Latent = 3, HiddenFeatures = 16, HiddenLayers = 1, IafContextFeatures = 4, IafHiddenFeatures = 8, ImportanceSamples = 5 };

    public static readonly Dictionary<string, VaeConfig> All = new()
    {
        ["mlp-bernoulli"] = Small,
        ["mlp-bernoulli-planar"] = Small with { Posterior = PosteriorFlow.Planar, FlowSteps = 2 },
        ["mlp-bernoulli-radial"] = Small with { Posterior = PosteriorFlow.Radial, FlowSteps = 2 },
        ["mlp-bernoulli-iaf"] = Small with { Posterior = PosteriorFlow.Iaf, FlowSteps = 2 },
        ["mlp-categorical-iaf"] = Small with { Levels = 4, Decoder = DecoderKind.Categorical, Posterior = PosteriorFlow.Iaf, FlowSteps = 2 },
        ["mlp-logistic-rgb-planar"] = Small with { Colours = 3, Height = 4, Width = 4, Levels = 256, Decoder = DecoderKind.DiscretizedLogistic, LogisticComponents = 2, Posterior = PosteriorFlow.Planar, FlowSteps = 1 },
        ["gatedconv-bernoulli-iaf"] = Small with { Architecture = VaeArchitecture.GatedConv, Posterior = PosteriorFlow.Iaf, FlowSteps = 2 },
        ["mlp-pixelcnn-planar"] = Small with { Height = 5, Width = 6, Decoder = DecoderKind.GatedPixelCnn, ConditionChannels = 2, PixelCnnLayers = 2, PixelCnnChannels = 4, Posterior = PosteriorFlow.Planar, FlowSteps = 2 },
        ["gaussian-vectors-radial"] = Small with { Features = 5, Decoder = DecoderKind.Gaussian, Posterior = PosteriorFlow.Radial, FlowSteps = 2 },
    };

    public static TheoryData<string> Names => new(All.Keys);

    /// <summary>The model of case <paramref name="name"/> with seeded random weights.</summary>
    public static Vae Build(string name, ulong seed = 1)
    {
        var vae = (Vae)All[name].Build();
        using var _ = no_grad();
        using var g = new Generator(seed);
        // Every weight random at the scale of its fan-in (none left at a zero initialization), biases at 0.2.
        foreach (var p in vae.parameters())
            p.copy_(randn(p.shape, generator: g) * (p.dim() > 1 ? 1.0 / Math.Sqrt(p.numel() / p.shape[0]) : 0.2));
        return vae;
    }

    /// <summary><paramref name="n"/> examples for <paramref name="config"/>: random levels, or real vectors.</summary>
    public static Tensor Data(VaeConfig config, long n, ulong seed = 2)
    {
        using var g = new Generator(seed);
        return config.Features > 0
            ? randn([n, config.Features], generator: g)
            : randint(0, config.Levels, [n, config.Colours, config.Height, config.Width], generator: g).to(float32);
    }
}
