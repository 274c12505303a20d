using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Incremental;

/// <summary>The output of a <see cref="MaskedConv2d"/> (any stride): each run of positions is one convolution over the window it covers.</summary>
public sealed class ConvMap : CachedMap
{
    private readonly MaskedConv2d conv;
    private readonly CachedMap input;

    /// <summary>The map of <paramref name="conv"/> applied to <paramref name="input"/>.</summary>
    public ConvMap(MaskedConv2d conv, CachedMap input)
        : base(conv.OutChannels, (input.Height + conv.Stride - 1) / conv.Stride, (input.Width + conv.Stride - 1) / conv.Stride)
    {
        if (conv.PadTop > Margin || conv.PadLeft > Margin || conv.KernelWidth - 1 - conv.PadLeft > Margin)
            throw new ArgumentException("The convolution's padding is wider than the cached maps' border.");
        this.conv = conv;
        this.input = input;
        Plan();
    }

    /// <inheritdoc />
    protected override int ReadyFromInputs(int row, int col)
    {
        int ready = 0;
        for (int dy = 0; dy < conv.KernelHeight; dy++)
        for (int dx = 0; dx < conv.KernelWidth; dx++)
            ready = Math.Max(ready, input.ReadyAt(row * conv.Stride - conv.PadTop + dy, col * conv.Stride - conv.PadLeft + dx));
        return ready;
    }

    /// <inheritdoc />
    protected override Tensor Compute(int row, int col, int count) =>
        conv.Valid(input.Window(row * conv.Stride - conv.PadTop, conv.KernelHeight,
            col * conv.Stride - conv.PadLeft, (count - 1) * conv.Stride + conv.KernelWidth));
}
