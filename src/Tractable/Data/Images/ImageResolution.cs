using System.Globalization;

namespace Tractable.Data.Images;

/// <summary>
/// The width and height in pixels that the images of a folder are resized to (<see cref="DataOptions.ImageSize"/>),
/// written <c>32</c> (32 × 32) or <c>64x48</c> (width × height).
/// </summary>
/// <param name="Width">Pixels across, 1 to <see cref="MaxSide"/>.</param>
/// <param name="Height">Pixels down, 1 to <see cref="MaxSide"/>.</param>
public sealed record ImageResolution(int Width, int Height)
{
    /// <summary>The largest side accepted: larger images are far beyond what the image models here train on.</summary>
    public const int MaxSide = 4096;

    /// <summary>
    /// Reads <c>N</c> or <c>WIDTHxHEIGHT</c>; anything else, or a side outside 1 … <see cref="MaxSide"/>, is an
    /// <see cref="InvalidSettingException"/> for <see cref="DataOptions.ImageSize"/>.
    /// </summary>
    public static ImageResolution Parse(string text)
    {
        string[] parts = text.Trim().ToLowerInvariant().Split('x');
        int[] sides = new int[parts.Length];
        bool valid = parts.Length is 1 or 2
                     && parts.Select((p, i) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out sides[i])).All(ok => ok)
                     && sides.All(s => s is >= 1 and <= MaxSide);
        if (!valid)
            throw new InvalidSettingException(nameof(DataOptions.ImageSize),
                $"'{text}' is not an image size: give N (N x N pixels) or WIDTHxHEIGHT, each side from 1 to {MaxSide}, e.g. 32 or 64x48.");
        return new ImageResolution(sides[0], sides[^1]);
    }

    /// <summary><c>WIDTHxHEIGHT</c>, as <see cref="Parse"/> reads it.</summary>
    public override string ToString() => $"{Width}x{Height}";
}
