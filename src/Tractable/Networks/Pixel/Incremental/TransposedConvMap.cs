using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Incremental;

/// <summary>
/// The output of a <see cref="ShiftedConvTranspose2d"/>. Its kernel is two rows high with stride 2, so output row
/// <c>r</c> reads input row <c>r / 2</c> only (kernel row <c>r mod 2</c>); output column <c>c</c> reads the input
/// columns <c>i</c> with <c>0 ≤ c + first − 2i &lt; kw</c>, where <c>first</c> is the layer's crop.
/// </summary>
public sealed class TransposedConvMap : CachedMap
{
    private readonly ShiftedConvTranspose2d upsize;
    private readonly CachedMap input;

    /// <summary>The map of <paramref name="upsize"/> applied to <paramref name="input"/>.</summary>
    public TransposedConvMap(ShiftedConvTranspose2d upsize, CachedMap input)
        : base(upsize.OutChannels, 2 * input.Height, 2 * input.Width)
    {
        this.upsize = upsize;
        this.input = input;
        Plan();
    }

    private int FirstInput(int col) => (int)Math.Floor((col + upsize.FirstColumn - (upsize.KernelWidth - 1)) / 2.0);

    private int LastInput(int col) => (col + upsize.FirstColumn) / 2;

    /// <inheritdoc />
    protected override int ReadyFromInputs(int row, int col)
    {
        int ready = 0;
        for (int i = FirstInput(col); i <= LastInput(col); i++)
            if (col + upsize.FirstColumn - 2 * i < upsize.KernelWidth) ready = Math.Max(ready, input.ReadyAt(row / 2, i));
        return ready;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The window may hold input columns that reach only output columns left of the run; their (possibly unfinished)
    /// values land outside the slice taken here.
    /// </remarks>
    protected override Tensor Compute(int row, int col, int count)
    {
        int first = FirstInput(col), last = LastInput(col + count - 1);
        Tensor raw = upsize.Uncropped(input.Window(row / 2, 1, first, last - first + 1));   // [B, out, 2, 2n + kw − 2]
        return raw.narrow(2, row % 2, 1).narrow(3, col + upsize.FirstColumn - 2 * first, count);
    }
}
