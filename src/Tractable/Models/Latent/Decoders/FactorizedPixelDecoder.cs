using Tractable.Distributions;
using Tractable.Distributions.Pixels;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models.Latent.Decoders;

/// <summary>
/// Pixels independent given z: a network maps z to every pixel's likelihood parameters <c>[B, P, H, W]</c> at once and
/// <c>log p(x|z) = Σ_pixels log p(x_ij | params_ij)</c>, with the library's pixel likelihoods (Bernoulli, categorical,
/// discretized logistic mixture) on raw levels <c>0..L−1</c>.
/// </summary>
public sealed class FactorizedPixelDecoder : LatentDecoder
{
    private readonly nn.Module<Tensor, Tensor> network;

    /// <summary>A decoder whose <paramref name="network"/> makes <c>likelihood.ParameterChannels</c> maps.</summary>
    public FactorizedPixelDecoder(nn.Module<Tensor, Tensor> network, PixelLikelihood likelihood) : base(nameof(FactorizedPixelDecoder))
    {
        this.network = network;
        Likelihood = likelihood;
        RegisterComponents();
    }

    /// <summary>The distribution of each pixel given its parameters.</summary>
    public PixelLikelihood Likelihood { get; }

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor z) => Likelihood.LogProb(network.forward(z), x);

    /// <inheritdoc />
    /// <remarks>
    /// Every pixel at once, colour by colour (a mixture's later colours depend on the earlier ones): the pixels become
    /// rows <c>[B·H·W, P]</c> of the likelihood's one-pixel interface and each sub-pixel takes its level by the inverse CDF.
    /// </remarks>
    public override Tensor Sample(Tensor z, Generator? generator = null)
    {
        Tensor parameters = network.forward(z);                                       // [B, P, H, W]
        long b = parameters.size(0), p = parameters.size(1), h = parameters.size(2), w = parameters.size(3);
        int colours = Likelihood.Colours;
        Tensor rows = parameters.permute(0, 2, 3, 1).reshape(b * h * w, p);
        Tensor pixels = zeros([b * h * w, colours], parameters.dtype, parameters.device);
        Tensor uniforms = rand([b * h * w, colours], generator: generator).to(parameters.device);
        for (int c = 0; c < colours; c++)
            pixels.select(1, c).copy_(InverseCdf.Draw(Likelihood.LevelLogProbs(rows, pixels, c), uniforms.select(1, c)));
        return pixels.view(b, h, w, colours).permute(0, 3, 1, 2).contiguous();
    }
}
