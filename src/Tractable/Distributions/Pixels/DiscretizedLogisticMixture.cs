using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Distributions.Pixels;

/// <summary>
/// PixelCNN++'s discretized logistic mixture (Salimans et al. 2017, arXiv:1701.05517, §2.1–2.2, eq. 2–3): a pixel is
/// <c>Σ_k π_k Π_c p(x_c | μ_kc(x_&lt;c), s_kc)</c>, each colour a logistic integrated over its bin of width
/// <c>2/(L−1)</c> on <c>[−1, 1]</c>, with the lowest and highest values taking the whole tails (the edge cases at 0 and
/// 255), and linear dependence between colours: <c>μ_G = m_G + α x_R</c>, <c>μ_B = m_B + β x_R + γ x_G</c>
/// (<c>α, β, γ = tanh(·)</c>). Every bin's mass is computed in log space,
/// <c>log(σ(a) − σ(b)) = −softplus(−a) − softplus(b) + log(1 − e^{b−a})</c>, so the probabilities sum to 1 exactly
/// (no density approximation in the middle). Parameter layout per pixel:
/// <c>[logits K | means C×K | log-scales C×K | coefficients C(C−1)/2 × K]</c>.
/// </summary>
public sealed class DiscretizedLogisticMixture : PixelLikelihood
{
    private const double MinLogScale = -7.0;   // openai/pixel-cnn's floor on log s

    /// <summary>A mixture of <paramref name="components"/> over <paramref name="colours"/> channels of <paramref name="levels"/> values.</summary>
    public DiscretizedLogisticMixture(int colours, int levels, int components) : base(colours, levels) => Components = components;

    /// <summary>Mixture components <c>K</c>.</summary>
    public int Components { get; }

    /// <inheritdoc />
    public override int ParameterChannels => Components * (1 + 2 * Colours + Colours * (Colours - 1) / 2);

    /// <inheritdoc />
    public override bool JointOverColours => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor parameters, Tensor x)
    {
        (Tensor logMix, Tensor means, Tensor logScales) = Unpack(parameters, Scale(x));   // [B,K,H,W], [B,C,K,H,W] ×2
        Tensor perColour = ComponentLogProb(x.unsqueeze(2), means, logScales);             // [B, C, K, H, W]
        Tensor perPixel = (logMix + perColour.sum(1)).logsumexp(1);                        // [B, H, W]
        return perPixel.flatten(1).sum(1);
    }

    /// <inheritdoc />
    public override Tensor LevelLogProbs(Tensor parameters, Tensor pixel, int colour)
    {
        long b = parameters.size(0);
        Tensor p = parameters.view(b, -1, 1);                                                // [B, P, 1]
        Tensor v = pixel.view(b, Colours, 1, 1);                                             // [B, C, 1, 1]
        (Tensor logMix, Tensor means, Tensor logScales) = Unpack(p, Scale(pixel.view(b, Colours, 1)));   // [B,K,1], [B,C,K,1]
        // Posterior weight of each component given the colours already drawn: π_k Π_{c'<c} p_k(x_c').
        Tensor logWeights = logMix;
        if (colour > 0)
            logWeights = logWeights + ComponentLogProb(v.narrow(1, 0, colour), means.narrow(1, 0, colour), logScales.narrow(1, 0, colour)).sum(1);
        Tensor levels = arange(Levels, dtype: parameters.dtype, device: parameters.device).view(1, 1, Levels);
        Tensor values = ComponentLogProb(levels, means.select(1, colour), logScales.select(1, colour));   // [B, K, L]
        return (logWeights + values).logsumexp(1) - logWeights.logsumexp(1);
    }

    /// <summary>
    /// <c>log P(v | μ, log s)</c> of integer values <paramref name="v"/> under the discretized logistic (broadcasting).
    /// </summary>
    public Tensor ComponentLogProb(Tensor v, Tensor mean, Tensor logScale)
    {
        double half = 1.0 / (Levels - 1);
        Tensor inverseScale = (-logScale).exp();
        Tensor centred = Scale(v) - mean;
        Tensor upper = inverseScale * (centred + half);   // a: standardized upper bin edge
        Tensor lower = inverseScale * (centred - half);   // b: standardized lower bin edge
        Tensor logCdfUpper = -nn.functional.softplus(-upper);        // log σ(a): the lowest value's mass
        Tensor logSurvivalLower = -nn.functional.softplus(lower);    // log(1 − σ(b)): the highest value's mass
        // log(σ(a) − σ(b)) = log σ(a) + log(1 − σ(b)) + log(1 − e^{−(a − b)}), with a − b = 2·half/s > 0.
        Tensor logBin = logCdfUpper + logSurvivalLower + (-(-(inverseScale * (2 * half))).expm1()).log();
        return where(v <= 0, logCdfUpper, where(v >= Levels - 1, logSurvivalLower, logBin));
    }

    /// <summary>Splits <c>[B, P, ...]</c> (with the scaled pixels <c>[B, C, ...]</c>) into mixture log-weights <c>[B, K, ...]</c>, colour-adjusted means and log-scales <c>[B, C, K, ...]</c>.</summary>
    private (Tensor LogMix, Tensor Means, Tensor LogScales) Unpack(Tensor parameters, Tensor scaledX)
    {
        int k = Components, c = Colours;
        long[] rest = TensorSizes.Of(parameters)[2..];
        long[] perColour = [parameters.size(0), c, k, .. rest];
        Tensor logMix = parameters.narrow(1, 0, k).log_softmax(1);
        Tensor means = parameters.narrow(1, k, c * k).view(perColour);
        Tensor logScales = parameters.narrow(1, k + c * k, c * k).view(perColour).clamp_min(MinLogScale);
        if (c == 1) return (logMix, means, logScales);
        Tensor coefficients = parameters.narrow(1, k + 2 * c * k, c * (c - 1) / 2 * k)
            .view([parameters.size(0), c * (c - 1) / 2, k, .. rest]).tanh();
        var adjusted = new List<Tensor>();
        for (int colour = 0; colour < c; colour++)
        {
            Tensor mean = means.select(1, colour);
            for (int previous = 0; previous < colour; previous++)
                mean = mean + coefficients.select(1, colour * (colour - 1) / 2 + previous) * scaledX.select(1, previous).unsqueeze(1);
            adjusted.Add(mean);
        }
        return (logMix, stack(adjusted, 1), logScales);
    }
}
