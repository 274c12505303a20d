using Tractable.Distributions.Pixels;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// The output layers of PixelCNN (van den Oord et al. 2016, arXiv:1601.06759, Table 1): ReLU, 1×1 type-B convolution,
/// ReLU, 1×1 type-B convolution to the likelihood's parameters. <c>[B, in, H, W] → [B, out, H, W]</c>.
/// </summary>
public sealed class PixelOutputHead : nn.Module<Tensor, Tensor>
{
    private readonly MaskedConv2d hidden;
    private readonly MaskedConv2d output;

    /// <summary>Builds the head.</summary>
    public PixelOutputHead(long inChannels, long hiddenChannels, long outChannels, int colours) : base(nameof(PixelOutputHead))
    {
        hidden = new MaskedConv2d(inChannels, hiddenChannels, 1, 1, MaskType.B, colours);
        output = new MaskedConv2d(hiddenChannels, outChannels, 1, 1, MaskType.B, colours);
        RegisterComponents();
    }

    /// <summary>The first 1×1 convolution.</summary>
    internal MaskedConv2d Hidden => hidden;

    /// <summary>The last 1×1 convolution, to the likelihood's parameters.</summary>
    internal MaskedConv2d Output => output;

    /// <summary>The head at one pixel: <c>[B, in] → [B, out]</c>.</summary>
    public Tensor At(Tensor x)
    {
        Tensor h = nn.functional.relu(hidden.At(nn.functional.relu(x).view(x.size(0), -1, 1, 1), 0, 0));
        return output.At(h.view(h.size(0), -1, 1, 1), 0, 0);
    }

    /// <summary>Pixels per product of <see cref="LogProb"/>: 2,048 rows of 256 logits take 2 MiB.</summary>
    public const int PixelChunk = 2048;

    /// <inheritdoc />
    /// <remarks>The hidden layer's output is fresh, so its ReLU overwrites it (the convolution's backward does not read it).</remarks>
    public override Tensor forward(Tensor x) => output.forward(hidden.forward(nn.functional.relu(x)).relu_());

    /// <summary>
    /// The log-likelihood <c>[B]</c> of <paramref name="x"/> <c>[B, C, H, W]</c> under <paramref name="likelihood"/> with
    /// this head's outputs for <paramref name="features"/> <c>[B, in, H, W]</c> as its parameters: the same as
    /// <c>likelihood.LogProb(forward(features), x)</c>, for evaluation without gradients.
    /// </summary>
    /// <remarks>
    /// The last layer and the likelihood run over <see cref="PixelChunk"/> pixels at a time (a pixel likelihood
    /// factors over pixels given their parameters), so each chunk's parameters stay in cache: the 256 logits of every
    /// pixel of 64 MNIST images are 51 MB, whose writing, softmax and reading took 104 ms at one thread where the chunks
    /// take 37.
    /// </remarks>
    public Tensor LogProb(Tensor features, Tensor x, PixelLikelihood likelihood)
    {
        Tensor h = hidden.forward(nn.functional.relu(features)).relu_();
        long b = h.size(0), pixels = b * h.size(2) * h.size(3);
        // Pixel-major rows: views of channels-last maps.
        Tensor rows = h.permute(0, 2, 3, 1).reshape(pixels, -1), values = x.permute(0, 2, 3, 1).reshape(pixels, -1);
        Tensor logp = empty(pixels, h.dtype, h.device);
        for (long start = 0; start < pixels; start += PixelChunk)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(PixelChunk, pixels - start);
            Tensor parameters = output.Pointwise(rows.narrow(0, start, n));
            logp.narrow(0, start, n).copy_(likelihood.PixelLogProbs(parameters, values.narrow(0, start, n)));
        }
        return logp.view(b, -1).sum(1);
    }
}
