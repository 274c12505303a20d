using Tractable.Distributions;
using TorchSharp;
using TorchSharp.Modules;
using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Models.Latent.Decoders;

/// <summary>
/// Real vectors: <c>p(x|z) = N(x; μ(z), diag σ²)</c> with the mean from a network and one learned scale per feature
/// (<c>σ = exp(logStd)</c>, starting at 1).
/// </summary>
public sealed class GaussianDecoder : LatentDecoder
{
    private readonly nn.Module<Tensor, Tensor> network;
    private readonly Parameter logStd;

    /// <summary>A decoder over <paramref name="features"/> dimensions whose <paramref name="network"/> maps z to the mean.</summary>
    public GaussianDecoder(nn.Module<Tensor, Tensor> network, int features) : base(nameof(GaussianDecoder))
    {
        this.network = network;
        logStd = new Parameter(zeros(features));
        RegisterComponents();
    }

    /// <summary>The mean <c>μ(z)</c> <c>[B, D]</c>.</summary>
    public Tensor Mean(Tensor z) => network.forward(z);

    /// <summary>The learned log standard deviation per feature <c>[D]</c>.</summary>
    public Tensor LogStd => logStd;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor z) => Gaussian.LogDensity(x, Mean(z), logStd).sum(1);

    /// <inheritdoc />
    public override Tensor Sample(Tensor z, Generator? generator = null)
    {
        Tensor mean = Mean(z);
        return Gaussian.Sample(mean, logStd.expand(TensorSizes.Of(mean)), generator, 1.0);
    }
}
