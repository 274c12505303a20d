using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Recurrent;

/// <summary>
/// The skew of the Diagonal BiLSTM (van den Oord et al. 2016, arXiv:1601.06759, §3.2, Figure 3): row <c>i</c> of a map
/// moves <c>i</c> positions right, so each diagonal of the image becomes a column and one convolution along a column
/// computes a whole diagonal at once. <c>[B, C, H, W] ↔ [B, C, H, W + H − 1]</c>.
/// </summary>
public static class Skewing
{
    /// <summary><c>y[.., i, i + j] = x[.., i, j]</c>, zeros elsewhere: <c>[B, C, H, W] → [B, C, H, W + H − 1]</c>.</summary>
    public static Tensor Skew(Tensor x)
    {
        long b = x.size(0), c = x.size(1), height = x.size(2), width = x.size(3);
        // Rows padded to W + H and read back with rows of W + H − 1: position i·(W+H) + j lands at row i, column i + j.
        return nn.functional.pad(x, [0, height]).flatten(2).narrow(2, 0, height * (width + height - 1)).view(b, c, height, width + height - 1);
    }

    /// <summary>The inverse of <see cref="Skew"/>: <c>x[.., i, j] = y[.., i, i + j]</c>, <c>[B, C, H, S] → [B, C, H, <paramref name="width"/>]</c>.</summary>
    public static Tensor Unskew(Tensor y, long width)
    {
        long b = y.size(0), c = y.size(1), height = y.size(2), skewed = y.size(3);
        // Rows of S read back as rows of S + 1: position i·S + i + j lands at row i, column j.
        return nn.functional.pad(y.flatten(2), [0, height]).view(b, c, height, skewed + 1).narrow(3, 0, width);
    }
}
