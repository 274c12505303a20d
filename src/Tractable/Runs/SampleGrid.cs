using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>Image samples tiled into one picture, for files and for TensorBoard.</summary>
public static class SampleGrid
{
    /// <summary>
    /// Tiles <paramref name="images"/> <c>[N, C, H, W]</c> with values in [0, 1] into one image <c>[C, H', W']</c>, with
    /// <paramref name="perRow"/> images per row, <paramref name="padding"/> white pixels between them (by default the scale,
    /// from 2 to 8), and each image pixel drawn as a <paramref name="scale"/> × <paramref name="scale"/> block (nearest
    /// neighbour, so pixels stay sharp).
    /// A last row that is not full is filled with white cells.
    /// </summary>
    public static Tensor Tile(Tensor images, int perRow, int? padding = null, int scale = 1)
    {
        if (images.dim() != 4) throw new ArgumentException($"Expected images [N, C, H, W], got [{string.Join(", ", images.shape)}].", nameof(images));
        if (perRow < 1) throw new InvalidSettingException("perRow", $"A grid needs at least one image per row, got {perRow}.");
        if (scale < 1) throw new InvalidSettingException("scale", $"The scale must be at least 1 screen pixel per image pixel, got {scale}.");
        int pad = padding ?? Math.Clamp(scale, 2, 8);
        if (pad < 0) throw new InvalidSettingException("padding", $"The padding must not be negative, got {pad}.");
        using var scope = NewDisposeScope();
        Tensor x = images.detach().cpu().to(float32);
        if (scale > 1) x = x.repeat_interleave(scale, dim: 2).repeat_interleave(scale, dim: 3);
        long n = x.size(0), c = x.size(1);
        int columns = (int)Math.Min(perRow, n);
        long rows = (n + columns - 1) / columns;
        if (rows * columns > n) x = cat([x, ones([rows * columns - n, .. TensorSizes.Of(x)[1..]])], 0);
        // Each cell gets the padding on its top and left; the grid then gets it on its bottom and right.
        x = nn.functional.pad(x, [pad, 0, pad, 0], value: 1);
        long h = x.size(2), w = x.size(3);
        Tensor grid = x.reshape(rows, columns, c, h, w).permute(2, 0, 3, 1, 4).reshape(c, rows * h, columns * w);
        return nn.functional.pad(grid, [0, pad, 0, pad], value: 1).MoveToOuterDisposeScope();
    }

    /// <summary>The smallest whole scale at which an image of <paramref name="height"/> × <paramref name="width"/> pixels is at least 96 pixels across.</summary>
    public static int AutomaticScale(long height, long width) => (int)Math.Max(1, Math.Ceiling(96.0 / Math.Max(height, width)));
}
