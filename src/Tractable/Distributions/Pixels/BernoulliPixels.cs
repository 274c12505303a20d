using static TorchSharp.torch;

namespace Tractable.Distributions.Pixels;

/// <summary>
/// Binary pixels: one logit per sub-pixel, <c>log p(x) = x log σ(l) + (1 − x) log σ(−l)</c> (PixelCNN on binarized
/// MNIST, van den Oord et al. 2016, arXiv:1601.06759, §5.2).
/// </summary>
public sealed class BernoulliPixels(int colours) : PixelLikelihood(colours, 2)
{
    /// <inheritdoc />
    public override int ParameterChannels => Colours;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor parameters, Tensor x)
    {
        // log σ(l) = −softplus(−l), log σ(−l) = −softplus(l)
        Tensor logp = -(x * nn.functional.softplus(-parameters) + (1 - x) * nn.functional.softplus(parameters));
        return logp.flatten(1).sum(1);
    }

    /// <inheritdoc />
    public override Tensor LevelLogProbs(Tensor parameters, Tensor pixel, int colour)
    {
        Tensor l = parameters.select(1, colour);
        return stack([-nn.functional.softplus(l), -nn.functional.softplus(-l)], 1);
    }
}
