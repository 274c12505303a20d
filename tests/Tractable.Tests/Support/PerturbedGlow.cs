using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Support;

/// <summary>
/// A small Glow on four 1×8×8 images, initialized on them, with its networks' weights moved off their start (the zero
/// layers no longer zero): a model for comparing two ways of computing the same likelihood and gradients.
/// </summary>
internal sealed class PerturbedGlow : IDisposable
{
    /// <summary>Builds the Glow with <paramref name="layout"/> in <paramref name="dtype"/>, drawing from seed <paramref name="seed"/>.</summary>
    public PerturbedGlow(CouplingLayout layout, int seed, ScalarType dtype = ScalarType.Float32)
    {
        manual_seed(seed);
        Model = new GlowConfig
        {
            ImageShape = [1, 8, 8], Levels = 2, StepsPerLevel = 2, HiddenChannels = 32, CouplingLayout = layout,
        }.Build();
        Model.to(dtype);
        Images = rand(4, 1, 8, 8).to(dtype);
        LibTorchThreads.OnThreads(1, () => Model.LogProb(Images));                     // ActNorm's data-dependent start
        using (no_grad())
            foreach (var (name, p) in Model.named_parameters())
                if (name.Contains(".body.conv_")) p.add_(randn_like(p) * 0.1);
    }

    /// <summary>The model.</summary>
    public DensityModel Model { get; }

    /// <summary>The images it was initialized on.</summary>
    public Tensor Images { get; }

    /// <summary>
    /// log p of the images and every parameter's gradient of their sum, with libtorch on <paramref name="threads"/>
    /// threads and the dequantization noise drawn from seed <paramref name="noiseSeed"/>.
    /// </summary>
    public (Tensor LogProb, Tensor[] Grads) LogProbAndGradients(int threads, int noiseSeed) => LibTorchThreads.OnThreads(threads, () =>
    {
        Model.zero_grad();
        manual_seed(noiseSeed);
        Tensor logProb = Model.LogProb(Images);
        logProb.sum().backward();
        return (logProb.detach(), Model.parameters().Select(p => p.grad!.clone()).ToArray());
    });

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
