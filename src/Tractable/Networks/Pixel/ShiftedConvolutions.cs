namespace Tractable.Networks.Pixel;

/// <summary>
/// The causally padded convolutions of PixelCNN++ (Salimans et al. 2017, arXiv:1701.05517, §2.4; openai/pixel-cnn
/// <c>down_shifted_conv2d</c>, <c>down_right_shifted_conv2d</c>): the output at <c>(i, j)</c> reads only rows <c>≤ i</c>
/// (down-shifted, columns centred) or rows <c>≤ i</c> and columns <c>≤ j</c> (down-right-shifted). Shifting the stream
/// once at the input (<see cref="Shifts"/>) then makes every position depend on earlier pixels only.
/// </summary>
public static class ShiftedConvolutions
{
    /// <summary>A <c>kh × kw</c> kernel over rows <c>i−kh+1..i</c> and columns <c>j−(kw−1)/2..j+(kw−1)/2</c>.</summary>
    public static MaskedConv2d Down(long inChannels, long outChannels, int kh = 2, int kw = 3, int stride = 1) =>
        new(inChannels, outChannels, kh, kw, MaskType.None, centreRow: kh - 1, centreCol: (kw - 1) / 2, stride: stride);

    /// <summary>A <c>kh × kw</c> kernel over rows <c>i−kh+1..i</c> and columns <c>j−kw+1..j</c>.</summary>
    public static MaskedConv2d DownRight(long inChannels, long outChannels, int kh = 2, int kw = 2, int stride = 1) =>
        new(inChannels, outChannels, kh, kw, MaskType.None, centreRow: kh - 1, centreCol: kw - 1, stride: stride);
}
