using TorchSharp;
using TorchSharp.Modules;
using Tractable.Networks.WaveNet;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Recurrent;

/// <summary>
/// One direction of the Diagonal BiLSTM (van den Oord et al. 2016, arXiv:1601.06759, §3.2, Figure 3): the map is
/// skewed so that each diagonal is a column, the input-to-state <c>K^is</c> is a 1×1 type-B convolution, and the LSTM
/// steps from column to column of the skewed map with the state-to-state <c>K^ss</c> a 2×1 convolution along the
/// column. Unskewed, the state at <c>(i, j)</c> reads the hidden states above <c>(i − 1, j)</c> and to the left
/// <c>(i, j − 1)</c> and carries the cell state from the left, so it sees every pixel above and to the left. The state
/// left of the first column and above the first row is zero.
/// </summary>
public sealed class DiagonalLstm : nn.Module
{
    private readonly MaskedConv2d inputToState;
    private readonly CausalConv1d stateToState;
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
        // Along a skewed column, tap 0 reads the row above and tap 1 the same row. No bias: the input-to-state has one,
        // and a zero pre-activation outside the image keeps the state there zero (see Forward).
        stateToState = new CausalConv1d((int)hidden, 4 * (int)hidden, kernelSize: 2, bias: false);
        if (contextFeatures > 0) condition = nn.Linear(contextFeatures, 4 * hidden, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The hidden state <c>[B, h, H, W]</c> of every pixel of <paramref name="x"/> <c>[B, in, H, W]</c>.</summary>
    public Tensor Forward(Tensor x, Tensor? context)
    {
        long b = x.shape[0], height = x.shape[2], width = x.shape[3];
        // The skew pads after the input-to-state convolution, its bias and the context, and the state-to-state
        // convolution has no bias, so outside the image every pre-activation is exactly 0 and a zero state stays zero:
        // the pixels of column 0 see a zero state on their left, as the cached sampler assumes.
        Tensor gates = Skewing.Skew(ContextBias.Add(inputToState.forward(x), condition, context));      // [B, 4h, H, W + H − 1]
        Tensor h = zeros([b, hidden, height], x.dtype, x.device), c = zeros_like(h);                   // the column before the first
        var columns = new Tensor[gates.shape[3]];
        for (int s = 0; s < columns.Length; s++)
        {
            (h, c) = LstmCell.Step(gates.select(3, s) + stateToState.forward(h), c);
            columns[s] = h;
        }
        return Skewing.Unskew(stack(columns, 3), width);
    }

    /// <summary>
    /// The hidden and cell states <c>[B, h]</c> at one pixel from its input <paramref name="x"/> <c>[B, in]</c>, the
    /// hidden state of the pixel above, and the hidden and cell states of the pixel before it in the scan (zeros outside
    /// the image): the full pass's update at that position alone.
    /// </summary>
    public (Tensor Hidden, Tensor Cell) At(Tensor x, Tensor hiddenAbove, Tensor hiddenBefore, Tensor cellBefore, Tensor? context)
    {
        Tensor fromInput = ContextBias.Add(inputToState.At(x.view(x.shape[0], -1, 1, 1), 0, 0), condition, context);
        Tensor fromState = stateToState.forward(stack([hiddenAbove, hiddenBefore], 2)).select(2, 1);          // [B, 4h]
        return LstmCell.Step(fromInput + fromState, cellBefore);
    }
}
