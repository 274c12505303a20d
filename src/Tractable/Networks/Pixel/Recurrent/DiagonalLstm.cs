using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Networks.Pixel.Recurrent;

/// <summary>
/// One direction of the Diagonal BiLSTM (van den Oord et al. 2016, arXiv:1601.06759, §3.2, Figure 3): the map is
/// skewed so that each diagonal is a column, the input-to-state <c>K^is</c> is a 1×1 type-B convolution, and the LSTM
/// steps from column to column of the skewed map with the state-to-state <c>K^ss</c> a 2×1 convolution along the
/// column: a linear map of the previous column's hidden states one row up and in the same row, side by side. Unskewed, the state at <c>(i, j)</c> reads the hidden states above <c>(i − 1, j)</c> and to the left
/// <c>(i, j − 1)</c> and carries the cell state from the left, so it sees every pixel above and to the left. The state
/// left of the first column and above the first row is zero.
/// </summary>
public sealed class DiagonalLstm : nn.Module
{
    private readonly MaskedConv2d inputToState;
    private readonly Linear stateToState;
    private readonly Linear? condition;
    private readonly long hidden;

    /// <summary>Builds one direction.</summary>
    /// <param name="channels">Channels of the input stream.</param>
    /// <param name="hidden">Channels <c>h</c> of the state (a multiple of <paramref name="colours"/>).</param>
    /// <param name="colours">Colour channels of the image.</param>
    /// <param name="contextFeatures">Length of the conditioning vector (0: unconditional).</param>
    public DiagonalLstm(long channels, long hidden, int colours, int contextFeatures) : base(nameof(DiagonalLstm))
    {
        this.hidden = hidden;
        inputToState = new MaskedConv2d(channels, 4 * hidden, 1, 1, MaskType.B, colours);
        // The two taps [h_above, h_before] → 4h. No bias: the input-to-state has one, and a zero pre-activation outside
        // the image keeps the state there zero (see Forward).
        stateToState = nn.Linear(2 * hidden, 4 * hidden, hasBias: false);
        if (contextFeatures > 0) condition = nn.Linear(contextFeatures, 4 * hidden, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The hidden state <c>[B, h, H, W]</c> of every pixel of <paramref name="x"/> <c>[B, in, H, W]</c>.</summary>
    public Tensor Forward(Tensor x, Tensor? context)
    {
        long b = x.size(0), height = x.size(2), width = x.size(3);
        // The skew pads after the input-to-state convolution, its bias and the context, and the state-to-state map
        // has no bias, so outside the image every pre-activation is exactly 0 and a zero state stays zero:
        // the pixels of column 0 see a zero state on their left, as the cached sampler assumes.
        Tensor gates = Skewing.Skew(ContextBias.Add(inputToState.forward(x), condition, context));      // [B, 4h, H, W + H − 1]
        // Channels last, one tensor per column: each step is one matrix product over the column's rows, and the backward
        // pass of unbind stacks the columns' gradients once (a select per step would fill a zero map at every step).
        Tensor[] columnGates = TensorSizes.Unbind(gates.permute(3, 0, 2, 1).contiguous(), 0); // W + H − 1 × [B, H, 4h]
        Tensor h = zeros([b, height, hidden], x.dtype, x.device), c = zeros_like(h);                   // the column before the first
        var columns = new Tensor[columnGates.Length];
        for (int s = 0; s < columns.Length; s++)
        {
            // A scope per step: without it every step's gates stay alive until the caller's scope ends, about 50 MB per
            // image over 7 layers when evaluating (autograd keeps what backward needs either way).
            using var step = NewDisposeScope();
            Tensor above = nn.functional.pad(h, [0, 0, 1, 0]).narrow(1, 0, height);                   // row i − 1 of the previous column
            (Tensor hidden, Tensor cell) = LstmCell.Step(columnGates[s] + stateToState.forward(cat([above, h], 2)), c, channelDim: 2);
            c.Dispose();
            (h, c) = (hidden.MoveToOuterDisposeScope(), cell.MoveToOuterDisposeScope());
            columns[s] = h;
        }
        return Skewing.Unskew(stack(columns, 3).permute(0, 2, 1, 3), width);                           // [B, h, H, W]
    }

    /// <summary>
    /// The hidden and cell states <c>[B, h]</c> at one pixel from its input <paramref name="x"/> <c>[B, in]</c>, the
    /// hidden state of the pixel above, and the hidden and cell states of the pixel before it in the scan (zeros outside
    /// the image): the full pass's update at that position alone.
    /// </summary>
    public (Tensor Hidden, Tensor Cell) At(Tensor x, Tensor hiddenAbove, Tensor hiddenBefore, Tensor cellBefore, Tensor? context)
    {
        Tensor fromInput = ContextBias.Add(inputToState.At(x.view(x.size(0), -1, 1, 1), 0, 0), condition, context);
        return LstmCell.Step(fromInput + stateToState.forward(cat([hiddenAbove, hiddenBefore], 1)), cellBefore);
    }
}
