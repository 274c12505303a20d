using TorchSharp;
using static TorchSharp.torch;
using static Tractable.Networks.Pixel.Recurrent.RecurrentLayerState;

namespace Tractable.Networks.Pixel.Recurrent;

/// <summary>
/// The Diagonal BiLSTM layer (van den Oord et al. 2016, arXiv:1601.06759, §3.2): two <see cref="DiagonalLstm"/>s, one
/// scanning left to right and one right to left (on the mirrored map). The right-to-left state at <c>(i, j)</c> has
/// seen pixels to the right of <c>j</c> in row <c>i</c>, so its map is shifted down one row before the two are added:
/// pixel <c>(i, j)</c> takes the right-to-left state of <c>(i − 1, j)</c>, which covers every row above from column
/// <c>j</c> on, while the left-to-right state covers the columns up to <c>j</c>: no blind spot as in PixelCNN. (One
/// earlier pixel still escapes both: <c>(i − 1, W − 1)</c>, the last of the row above, which no position of that row
/// sees, reaches row <c>i</c> only through the first layer's kernel near the right edge.) A 1×1 type-B convolution maps
/// the sum back to the stream's <c>2h</c> channels, added to the stream (§3.3).
/// </summary>
public sealed class DiagonalBiLstmLayer : RecurrentPixelLayer
{
    private readonly DiagonalLstm leftToRight;
    private readonly DiagonalLstm rightToLeft;
    private readonly MaskedConv2d output;
    private readonly long hidden;

    /// <summary>Builds a layer.</summary>
    /// <param name="channels">Channels <c>2h</c> of the stream.</param>
    /// <param name="hidden">Channels <c>h</c> of each direction's state (a multiple of <paramref name="colours"/>).</param>
    /// <param name="colours">Colour channels of the image.</param>
    /// <param name="contextFeatures">Length of the conditioning vector (0: unconditional).</param>
    public DiagonalBiLstmLayer(long channels, long hidden, int colours, int contextFeatures) : base(nameof(DiagonalBiLstmLayer))
    {
        this.hidden = hidden;
        leftToRight = new DiagonalLstm(channels, hidden, colours, contextFeatures);
        rightToLeft = new DiagonalLstm(channels, hidden, colours, contextFeatures);
        output = new MaskedConv2d(hidden, channels, 1, 1, MaskType.B, colours);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, Tensor? context)
    {
        Tensor forward = leftToRight.Forward(x, context);
        Tensor backward = rightToLeft.Forward(x.flip(3), context).flip(3);
        return x + output.forward(forward + Shifts.Down(backward));
    }

    /// <inheritdoc />
    public override RecurrentLayerState CreateState(long batch, int height, int width, ScalarType dtype, Device device, Tensor? context)
    {
        // State maps with a zero border: row 0 stands for the row above the image, columns 0 and W + 1 for the columns
        // beside it, so pixel (i, j) is entry (i + 1, j + 1) and its neighbours need no special case.
        Tensor Map(long channels, long rows, long cols) => zeros([batch, channels, rows, cols], dtype, device).DetachFromDisposeScope();
        ScanState Scan() => new(Map(hidden, height + 1, width + 2), Map(hidden, height + 1, width + 2));
        return new State(this, Map(output.OutChannels, height, width), Scan(), Scan(), context);
    }

    /// <summary>The hidden and cell maps <c>[B, h, H + 1, W + 2]</c> of one scan direction, with a zero border.</summary>
    private sealed class ScanState(Tensor hidden, Tensor cell) : IDisposable
    {
        /// <summary>
        /// Steps <paramref name="lstm"/> at pixel <c>(row, col)</c> from its input <paramref name="x"/> <c>[B, in]</c>,
        /// the state above and the state of the pixel <paramref name="before"/> in the scan's direction (−1: the left,
        /// +1: the right), stores and returns the new hidden state <c>[B, h]</c>.
        /// </summary>
        public Tensor Step(DiagonalLstm lstm, Tensor x, int row, int col, int before, Tensor? context)
        {
            (Tensor h, Tensor c) = lstm.At(x, Entry(hidden, row, col + 1), Entry(hidden, row + 1, col + 1 + before),
                Entry(cell, row + 1, col + 1 + before), context);
            Entry(hidden, row + 1, col + 1).copy_(h);
            Entry(cell, row + 1, col + 1).copy_(c);
            return h;
        }

        /// <summary>The hidden state <c>[B, h]</c> of pixel <c>(row, col)</c>; zeros for row −1.</summary>
        public Tensor HiddenAt(int row, int col) => Entry(hidden, row + 1, col + 1);

        public void Dispose()
        {
            hidden.Dispose();
            cell.Dispose();
        }
    }

    /// <summary>
    /// The layer's state while sampling: its input at every pixel drawn and both directions' hidden and cell maps. For
    /// each pixel, the left-to-right LSTM steps once (its neighbours above and to the left are final). When row
    /// <c>i</c> starts, row <c>i − 1</c> of the input is final, and the right-to-left LSTM scans it from right to left,
    /// one step per pixel; pixel <c>(i, j)</c> then reads its state at <c>(i − 1, j)</c>. So each layer does two LSTM
    /// steps per pixel.
    /// </summary>
    private sealed class State(DiagonalBiLstmLayer layer, Tensor inputs, ScanState leftToRight, ScanState rightToLeft, Tensor? context)
        : RecurrentLayerState
    {
        public override void BeginRow(int row)
        {
            for (int col = (int)inputs.size(3) - 1; row > 0 && col >= 0; col--)
            {
                using var scope = NewDisposeScope();
                rightToLeft.Step(layer.rightToLeft, Entry(inputs, row - 1, col), row - 1, col, before: +1, context);
            }
        }

        public override Tensor At(Tensor x, int row, int col)
        {
            Entry(inputs, row, col).copy_(x);
            Tensor both = leftToRight.Step(layer.leftToRight, x, row, col, before: -1, context) + rightToLeft.HiddenAt(row - 1, col);
            return x + layer.output.At(both.view(both.size(0), -1, 1, 1), 0, 0);
        }

        public override void Dispose()
        {
            inputs.Dispose();
            leftToRight.Dispose();
            rightToLeft.Dispose();
            base.Dispose();
        }
    }
}
