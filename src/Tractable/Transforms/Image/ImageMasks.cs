using static TorchSharp.torch;

namespace Tractable.Transforms.Image;

/// <summary>The coupling masks of RealNVP for images (arXiv:1605.08803, §3.4, Figure 3), shape <c>[C, H, W]</c>.</summary>
public static class ImageMasks
{
    /// <summary>1 where <c>(h + w)</c> is even (or odd when <paramref name="flip"/>), for every channel.</summary>
    public static Tensor Checkerboard(long channels, long height, long width, bool flip)
    {
        Tensor parity = (arange(height).unsqueeze(1) + arange(width).unsqueeze(0)).remainder(2);
        return parity.eq(flip ? 1 : 0).to(float32).unsqueeze(0).expand(channels, height, width).contiguous();
    }

    /// <summary>1 on the first half of the channels (or the second when <paramref name="flip"/>).</summary>
    public static Tensor ChannelWise(long channels, long height, long width, bool flip)
    {
        Tensor first = (arange(channels) < channels / 2).to(float32);
        Tensor mask = flip ? 1 - first : first;
        return mask.reshape(channels, 1, 1).expand(channels, height, width).contiguous();
    }
}
