using SkiaSharp;

namespace Tractable.Data.Images;

/// <summary>One decoded image: 8-bit red, green and blue planes <c>[3, Height, Width]</c>, and whether it is grey (R = G = B everywhere).</summary>
/// <param name="Planes">The planes, red then green then blue, each row by row.</param>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
/// <param name="IsGrey">Whether every pixel has R = G = B, so that one plane holds the whole image.</param>
public sealed record DecodedImage(byte[] Planes, int Width, int Height, bool IsGrey);

/// <summary>
/// Decodes PNG and JPEG files through SkiaSharp into 8-bit RGB planes, resized on request. Transparency is dropped
/// (the colour values are kept as stored), and 16-bit PNGs are reduced to 8 bits by the decoder.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The file extensions read as images (case-insensitive).</summary>
    public static readonly IReadOnlyList<string> Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>Whether <paramref name="path"/> has one of the <see cref="Extensions"/>.</summary>
    public static bool IsImageFile(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>
    /// Decodes <paramref name="path"/>, resized to <paramref name="resize"/> when given (stretched to that width and
    /// height, not cropped; bilinear with mipmaps, so that shrinking averages). A file that is not a readable PNG or
    /// JPEG, or whose data is damaged or incomplete, is a <see cref="DataFormatException"/> naming it.
    /// </summary>
    public static DecodedImage Decode(string path, ImageResolution? resize = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Image not found: {path}", path);
        using SKCodec? codec = SKCodec.Create(path, out SKCodecResult opened);
        if (codec is null) throw new DataFormatException($"{path}: not a readable PNG or JPEG image ({opened}).");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        SKCodecResult decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
            throw new DataFormatException($"{path}: the image data is damaged or incomplete ({decoded}).");
        if (resize is null || (resize.Width == info.Width && resize.Height == info.Height)) return Planar(bitmap);
        var target = new SKImageInfo(resize.Width, resize.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using SKBitmap resized = bitmap.Resize(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
                                 ?? throw new DataFormatException($"{path}: could not be resized to {resize}.");
        return Planar(resized);
    }

    /// <summary>RGBA pixels, interleaved, as RGB planes.</summary>
    private static DecodedImage Planar(SKBitmap bitmap)
    {
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        int pixels = bitmap.Width * bitmap.Height;
        var planes = new byte[3 * pixels];
        bool grey = true;
        for (int p = 0; p < pixels; p++)
        {
            byte r = rgba[4 * p], g = rgba[4 * p + 1], b = rgba[4 * p + 2];
            planes[p] = r;
            planes[pixels + p] = g;
            planes[2 * pixels + p] = b;
            grey &= r == g && g == b;
        }
        return new DecodedImage(planes, bitmap.Width, bitmap.Height, grey);
    }
}
