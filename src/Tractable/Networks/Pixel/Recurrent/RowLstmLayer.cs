using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Networks.Pixel.Recurrent;

/// <summary>
/// The Row LSTM layer (van den Oord et al. 2016, arXiv:1601.06759, §3.1, Figure 4): the image is scanned top to
/// bottom a whole row at a time, <c>[o, f, i, g]_i = K^ss ⊛ h_{i−1} + K^is ⊛ x_i</c> (eq. 3), with the input-to-state
/// <c>K^is</c> a masked 1×3 convolution along the row (type B: the pixel's left neighbour and, by colour, the pixel
/// itself), the state-to-state <c>K^ss</c> an unmasked width-3 convolution of the previous row's hidden state, and the
/// cell state carried down each column. The context of pixel <c>(i, j)</c> is a triangle above it: row <c>i − d</c>
/// reaches columns <c>j − d − 1 … j + d</c>, so part of the rows above stays out of reach.
/// </summary>
public sealed class RowLstmLayer : RecurrentPixelLayer
{
    private readonly MaskedConv2d inputToState;
    private readonly Conv1d stateToState;
    private readonly Linear? condition;
    private readonly MaskedConv2d output;
    private readonly long hidden;

    /// <summary>Builds a layer.</summary>
    /// <param name="channels">Channels <c>2h</c> of the stream.</param>
    /// <param name="hidden">Channels <c>h</c> of the LSTM state (a multiple of <paramref name="colours"/>).</param>
    /// <param name="colours">Colour channels of the image.</param>
    /// <param name="contextFeatures">Length of the conditioning vector (0: unconditional).</param>
    public RowLstmLayer(long channels, long hidden, int colours, int contextFeatures) : base(nameof(RowLstmLayer))
    {
        this.hidden = hidden;
        inputToState = new MaskedConv2d(channels, 4 * hidden, 1, 3, MaskType.B, colours, centreRow: 0, centreCol: 1);
        // No bias: the input-to-state convolution has one, and the sum is all the gates see.
        stateToState = nn.Conv1d(hidden, 4 * hidden, 3, padding: 1, bias: false);
        if (contextFeatures > 0) condition = nn.Linear(contextFeatures, 4 * hidden, hasBias: false);
        output = new MaskedConv2d(hidden, channels, 1, 1, MaskType.B, colours);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, Tensor? context)
    {
        long b = x.size(0), height = x.size(2), width = x.size(3);
        Tensor gates = ContextBias.Add(inputToState.forward(x), condition, context);    // [B, 4h, H, W]
        Tensor[] rowGates = TensorSizes.Unbind(gates.permute(2, 0, 1, 3).contiguous(), 0); // H × [B, 4h, W], one backward for all rows
        Tensor h = zeros([b, hidden, width], x.dtype, x.device), c = zeros_like(h);     // the state above row 0
        var rows = new Tensor[height];
        for (int i = 0; i < height; i++)
        {
            (h, c) = LstmCell.Step(rowGates[i] + ChannelsLastConvolution.Forward(stateToState, h), c);
            rows[i] = h;
        }
        return x + output.forward(stack(rows, 2));
    }

    /// <inheritdoc />
    public override RecurrentLayerState CreateState(long batch, int height, int width, ScalarType dtype, Device device, Tensor? context) =>
        new State(this, zeros([batch, hidden, height, width], dtype, device).DetachFromDisposeScope(),
            zeros([batch, hidden, height, width], dtype, device).DetachFromDisposeScope(), context);

    /// <summary>
    /// The layer's state while sampling: the hidden and cell maps of every pixel drawn. When a row starts, the row above
    /// is final, so its state-to-state term is computed for the whole row at once; each pixel then costs the masked
    /// 1×3 input-to-state patch, one LSTM update and the 1×1 output at that pixel alone.
    /// </summary>
    private sealed class State(RowLstmLayer layer, Tensor hiddenMap, Tensor cellMap, Tensor? context) : RecurrentLayerState
    {
        private Tensor? rowInput, fromAbove, cellAbove;

        /// <remarks>The row's tensors live in the sampling loop's row scope.</remarks>
        public override void BeginRow(int row)
        {
            long b = hiddenMap.size(0), width = hiddenMap.size(3);
            rowInput = layer.inputToState.EmptyCache(b, 1, width, hiddenMap.dtype, hiddenMap.device);
            Tensor hiddenAbove = row == 0 ? zeros_like(hiddenMap.select(2, 0)) : hiddenMap.select(2, row - 1);
            cellAbove = row == 0 ? zeros_like(cellMap.select(2, 0)) : cellMap.select(2, row - 1);
            fromAbove = ChannelsLastConvolution.Forward(layer.stateToState, hiddenAbove);          // [B, 4h, W]
        }

        public override Tensor At(Tensor x, int row, int col)
        {
            if (rowInput is null || fromAbove is null || cellAbove is null)
                throw new InvalidOperationException("BeginRow must be called before the row's first pixel.");
            layer.inputToState.Write(rowInput, 0, col, x);
            Tensor pre = ContextBias.Add(layer.inputToState.At(rowInput, 0, col), layer.condition, context) + fromAbove.select(2, col);
            (Tensor h, Tensor c) = LstmCell.Step(pre, cellAbove.select(2, col));
            Entry(hiddenMap, row, col).copy_(h);
            Entry(cellMap, row, col).copy_(c);
            return x + layer.output.At(h.view(h.size(0), -1, 1, 1), 0, 0);
        }

        public override void Dispose()
        {
            hiddenMap.Dispose();
            cellMap.Dispose();
            base.Dispose();
        }
    }
}
