using Tractable.Runs;
using static TorchSharp.torch;

namespace Tractable.Cli.Plotting;

/// <summary>Writes images to PNG through TorchVision's SkiaSharp imager.</summary>
public static class Png
{
    private static readonly TorchSharp.torchvision.io.SkiaImager Imager = new();

    /// <summary>Saves a <c>[C, H, W]</c> image with values in [0, 1] (C = 1 or 3), whole or not at all (<see cref="Tractable.IO.AtomicFile"/>).</summary>
    public static void Save(Tensor image, string path)
    {
        using var scope = NewDisposeScope();
        Tensor bytes = image.detach().cpu().to(float32).clamp(0, 1).mul(255).round().to(uint8).contiguous();
        if (bytes.shape[0] == 1) bytes = bytes.expand(3, -1, -1).contiguous();
        Tractable.IO.AtomicFile.Write(path, temporary => TorchSharp.torchvision.io.write_png(bytes, temporary, Imager));
    }

    /// <summary>
    /// Tiles a batch of images <c>[N, C, H, W]</c> in [0, 1] into a grid with <paramref name="perRow"/> images per row
    /// (<see cref="SampleGrid.Tile"/>), each image pixel drawn as <paramref name="scale"/> × <paramref name="scale"/> pixels, and saves it.
    /// </summary>
    public static void SaveGrid(Tensor images, string path, int perRow, int scale = 1)
    {
        using var scope = NewDisposeScope();
        Save(SampleGrid.Tile(images, perRow, scale: scale), path);
    }
}
