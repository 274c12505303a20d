using static TorchSharp.torch;

namespace Tractable.Cli.Plotting;

/// <summary>Writes images to PNG through TorchVision's SkiaSharp imager.</summary>
public static class Png
{
    private static readonly TorchSharp.torchvision.io.SkiaImager Imager = new();

    /// <summary>Saves a <c>[C, H, W]</c> image with values in [0, 1] (C = 1 or 3).</summary>
    public static void Save(Tensor image, string path)
    {
        using var scope = NewDisposeScope();
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        Tensor bytes = image.detach().cpu().to(float32).clamp(0, 1).mul(255).round().to(uint8).contiguous();
        if (bytes.shape[0] == 1) bytes = bytes.expand(3, -1, -1).contiguous();
        TorchSharp.torchvision.io.write_png(bytes, path, Imager);
    }

    /// <summary>Tiles a batch of images <c>[N, C, H, W]</c> in [0, 1] into a grid with <paramref name="perRow"/> images per row and saves it.</summary>
    public static void SaveGrid(Tensor images, string path, int perRow, int padding = 2)
    {
        using var scope = NewDisposeScope();
        images = images.cpu().to(float32);
        // TorchVision's make_grid indexes past the batch when the last row is not full: fill it with blank (white) cells.
        long missing = (perRow - images.shape[0] % perRow) % perRow;
        if (missing > 0) images = cat([images, ones([missing, .. images.shape[1..]])], 0);
        Tensor grid = TorchSharp.torchvision.utils.make_grid(images, nrow: perRow, padding: padding, pad_value: 1.0f);
        Save(grid, path);
    }
}
