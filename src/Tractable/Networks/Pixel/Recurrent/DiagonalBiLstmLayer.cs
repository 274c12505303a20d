using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Recurrent;

/// <summary>
/// The Diagonal BiLSTM layer (van den Oord et al. 2016, arXiv:1601.06759, §3.2): two <see cref="DiagonalLstm"/>s, one
/// scanning left to right and one right to left (on the mirrored map). The right-to-left state at <c>(i, j)</c> has
/// seen pixels to the right of <c>j</c> in row <c>i</c>, so its map is shifted down one row before the two are added:
/// pixel <c>(i, j)</c> takes the right-to-left state of <c>(i − 1, j)</c>, which covers every row above. Together the
/// two cover every earlier pixel, a receptive field without blind spot. A 1×1 type-B convolution maps the sum back to
/// the stream's <c>2h</c> channels, added to the stream (§3.3).
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
        return new State(this, Map(output.OutChannels, height, width),
            [Map(hidden, height + 1, width + 2), Map(hidden, height + 1, width + 2), Map(hidden, height + 1, width + 2), Map(hidden, height + 1, width + 2)],
            context);
    }

    /// <summary>
    /// The layer's state while sampling: its input at every pixel drawn and both directions' hidden and cell maps. For each
    /// pixel, the left-to-right LSTM steps once (its neighbours above and to the left are final). When row <c>i</c>
    /// starts, row <c>i − 1</c> of the input is final, and the right-to-left LSTM scans it from right to left, one step
    /// per pixel; pixel <c>(i, j)</c> then reads its state at <c>(i − 1, j)</c>. So each layer does two LSTM steps per pixel.
    /// </summary>
    private sealed class State(DiagonalBiLstmLayer layer, Tensor inputs, Tensor[] maps, Tensor? context) : RecurrentLayerState
    {
        private Tensor HiddenLeft => maps[0];
        private Tensor CellLeft => maps[1];
        private Tensor HiddenRight => maps[2];
        private Tensor CellRight => maps[3];

        public override void BeginRow(int row)
        {
            if (row == 0) return;
            int r = row - 1;
            for (int j = (int)inputs.shape[3] - 1; j >= 0; j--)
            {
                using var scope = NewDisposeScope();
                // Bordered entry (r + 1, j + 1); above is (r, j + 1), before in this scan is (r + 1, j + 2).
                (Tensor h, Tensor c) = layer.rightToLeft.At(Entry(inputs, r, j), Entry(HiddenRight, r, j + 1),
                    Entry(HiddenRight, r + 1, j + 2), Entry(CellRight, r + 1, j + 2), context);
                Entry(HiddenRight, r + 1, j + 1).copy_(h);
                Entry(CellRight, r + 1, j + 1).copy_(c);
            }
        }

        public override Tensor At(Tensor x, int row, int col)
        {
            Entry(inputs, row, col).copy_(x);
            // Bordered entry (row + 1, col + 1); above is (row, col + 1), before in this scan is (row + 1, col).
            (Tensor h, Tensor c) = layer.leftToRight.At(x, Entry(HiddenLeft, row, col + 1),
                Entry(HiddenLeft, row + 1, col), Entry(CellLeft, row + 1, col), context);
            Entry(HiddenLeft, row + 1, col + 1).copy_(h);
            Entry(CellLeft, row + 1, col + 1).copy_(c);
            Tensor both = h + Entry(HiddenRight, row, col + 1);            // the right-to-left state of (row − 1, col)
            return x + layer.output.At(both.view(both.shape[0], -1, 1, 1), 0, 0);
        }

        public override void Dispose()
        {
            inputs.Dispose();
            foreach (Tensor map in maps) map.Dispose();
            base.Dispose();
        }
    }
}
