using static TorchSharp.torch;

namespace Tractable.Distributions.Pixels;

/// <summary>
/// A softmax over the levels of every sub-pixel (PixelCNN's 256-way softmax, van den Oord et al. 2016,
/// arXiv:1601.06759, §2.2). Parameter channel <c>level · C + colour</c> holds that level's logit, so a colour-masked
/// network gives colour <c>c</c> exactly the channels of colour <c>c</c>.
/// </summary>
public sealed class CategoricalPixels(int colours, int levels) : PixelLikelihood(colours, levels)
{
    /// <inheritdoc />
    public override int ParameterChannels => Colours * Levels;

    /// <inheritdoc />
    /// <remarks>
    /// Grey logits in the channels-last layout (<see cref="Networks.MemoryLayout"/>) are read as <c>[B, H, W, L]</c>,
    /// a view whose levels are contiguous: the softmax over the innermost dimension is libtorch's fast one, where the
    /// same softmax over dimension 1 of that layout takes twice as long.
    /// </remarks>
    public override Tensor LogProb(Tensor parameters, Tensor x)
    {
        if (Colours == 1 && Networks.MemoryLayout.IsChannelsLast(parameters))
            return parameters.permute(0, 2, 3, 1).log_softmax(3).gather(3, x.to(int64).permute(0, 2, 3, 1)).flatten(1).sum(1);
        long b = parameters.size(0), h = parameters.size(2), w = parameters.size(3);
        Tensor logp = parameters.view(b, Levels, Colours, h, w).log_softmax(1);   // [B, L, C, H, W]
        return logp.gather(1, x.to(int64).unsqueeze(1)).flatten(1).sum(1);
    }

    /// <inheritdoc />
    /// <remarks>The softmax runs over the innermost dimension: libtorch's softmax over dimension 1 of <c>[N, L, 1, 1]</c> took 11 times as long.</remarks>
    public override Tensor PixelLogProbs(Tensor parameters, Tensor values)
    {
        long n = parameters.size(0);
        Tensor logp = parameters.view(n, Levels, Colours).transpose(1, 2).log_softmax(2);          // [N, C, L]
        return logp.gather(2, values.to(int64).unsqueeze(2)).view(n, Colours).sum(1);
    }

    /// <inheritdoc />
    public override Tensor LevelLogProbs(Tensor parameters, Tensor pixel, int colour) =>
        parameters.view(parameters.size(0), Levels, Colours).select(2, colour).log_softmax(1);
}
