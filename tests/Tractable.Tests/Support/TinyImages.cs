using Tractable.Data;
using static TorchSharp.torch;

namespace Tractable.Tests.Support;

/// <summary>Tiny 8-bit images for tests of the noise inside a model.</summary>
public static class TinyImages
{
    /// <summary>
    /// 8-bit 1×4×4 images in [0, 255] (64 train, 16 validation, 16 test), fixed by the seed, so that every dequantized
    /// likelihood depends on the noise.
    /// </summary>
    public static DataSplits Splits()
    {
        using var g = new Generator(5);
        Split Draw(int n) => new(randint(0, 256, [n, 1, 4, 4], generator: g).to(float32));
        return new DataSplits("images", Draw(64), Draw(16), Draw(16)) { Levels = 256 };
    }
}
