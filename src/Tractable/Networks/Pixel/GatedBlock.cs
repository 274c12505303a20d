using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// One layer of Gated PixelCNN (van den Oord et al. 2016, "Conditional Image Generation with PixelCNN Decoders",
/// arXiv:1606.05328, Figure 2): a vertical stack that sees every row above (a <c>(k/2+1) × k</c> kernel over rows
/// <c>≤ i</c>, shifted down one row before it feeds the horizontal stack, so there is no blind spot) and a horizontal
/// stack over the current row's pixels to the left (a <c>1 × (k/2+1)</c> kernel, type A/B at the centre). Both use the
/// gated unit <c>y = tanh(W_f * x + V_fᵀh) ⊙ σ(W_g * x + V_gᵀh)</c> (eq. 4) with an optional context <c>h</c>; the
/// horizontal stack ends with a 1×1 convolution and a residual connection.
/// </summary>
/// <remarks>
/// The context is either a vector <c>h</c> <c>[B, K]</c>, added at every position, or a spatial map <c>s(h)</c>
/// <c>[B, K, H, W]</c> aligned with the image, added through a 1×1 convolution,
/// <c>y = tanh(W_f * x + V_f * s) ⊙ σ(W_g * x + V_g * s)</c> (location-dependent conditioning, §2.3; the PixelCNN
/// auto-encoder's decoder, §3.4). Both use the same two bias-free maps <c>V</c>, so the weights of a block with a
/// vector context keep their names.
/// </remarks>
public sealed class GatedBlock : nn.Module
{
    private readonly MaskedConv2d vertical;
    private readonly MaskedConv2d horizontal;
    private readonly Conv2d link;
    private readonly MaskedConv2d output;
    private readonly Linear? conditionVertical;
    private readonly Linear? conditionHorizontal;
    private readonly bool residual;
    private readonly bool spatialContext;

    /// <summary>Builds a layer.</summary>
    /// <param name="inChannels">Channels of both stacks' inputs (the image's colours in the first layer).</param>
    /// <param name="channels">Channels <c>p</c> of both stacks' outputs (a multiple of <paramref name="colours"/>).</param>
    /// <param name="kernel">Odd kernel size <c>k</c>.</param>
    /// <param name="type">A in the first layer (the pixel does not see itself), B after.</param>
    /// <param name="colours">Colour channels of the image.</param>
    /// <param name="contextFeatures">Length of the conditioning vector <c>h</c>, or channels of the conditioning map (0: unconditional).</param>
    /// <param name="residual">Whether the horizontal stack adds its input (needs equal channel counts).</param>
    /// <param name="spatialContext">Whether the context is a map <c>[B, K, H, W]</c> (per position) rather than a vector <c>[B, K]</c>.</param>
    public GatedBlock(long inChannels, long channels, int kernel, MaskType type, int colours, int contextFeatures, bool residual,
        bool spatialContext = false)
        : base(nameof(GatedBlock))
    {
        int half = kernel / 2;
        vertical = new MaskedConv2d(inChannels, 2 * channels, half + 1, kernel, MaskType.None, colours, centreRow: half, centreCol: half);
        horizontal = new MaskedConv2d(inChannels, 2 * channels, 1, half + 1, type, colours, centreRow: 0, centreCol: half);
        link = nn.Conv2d(2 * channels, 2 * channels, 1);
        output = new MaskedConv2d(channels, channels, 1, 1, MaskType.B, colours);
        if (contextFeatures > 0)
        {
            conditionVertical = nn.Linear(contextFeatures, 2 * channels, hasBias: false);
            conditionHorizontal = nn.Linear(contextFeatures, 2 * channels, hasBias: false);
        }
        this.residual = residual;
        this.spatialContext = spatialContext;
        RowsAbove = half;
        RegisterComponents();
    }

    /// <summary>Rows above that one vertical convolution reads.</summary>
    public int RowsAbove { get; }

    /// <summary>
    /// The vertical stack: its output <c>[B, p, H, W]</c> (row <c>i</c> depends on input rows <c>≤ i</c>) and the link
    /// <c>[B, 2p, H, W]</c> into the horizontal stack (row <c>i</c> depends on input rows <c>&lt; i</c> only). A spatial
    /// context covers the same positions as <paramref name="v"/>.
    /// </summary>
    public (Tensor Output, Tensor Link) Vertical(Tensor v, Tensor? context)
    {
        Tensor pre = ContextBias.Add(vertical.forward(v), conditionVertical, context, spatialContext);
        return (GatedActivation.Gate(pre), link.forward(Shifts.Down(pre)));
    }

    /// <summary>
    /// The horizontal stack on <paramref name="h"/> <c>[B, in, H, W']</c> given the matching columns of the vertical
    /// link; columns may be cut on the right, since nothing here looks right.
    /// </summary>
    public Tensor Horizontal(Tensor h, Tensor link, Tensor? context)
    {
        Tensor pre = ContextBias.Add(horizontal.forward(h) + link, conditionHorizontal, context, spatialContext);
        Tensor y = output.forward(GatedActivation.Gate(pre));
        return residual ? y + h : y;
    }

    /// <summary>The vertical convolution's input cache for <see cref="VerticalRow"/>.</summary>
    public Tensor EmptyVerticalCache(long batch, long height, long width, ScalarType dtype, Device device) => vertical.EmptyCache(batch, height, width, dtype, device);

    /// <summary>The horizontal convolution's input cache of one row for <see cref="HorizontalAt"/>.</summary>
    public Tensor EmptyHorizontalCache(long batch, long width, ScalarType dtype, Device device) => horizontal.EmptyCache(batch, 1, width, dtype, device);

    /// <summary>
    /// The vertical stack at one finished row (cached sampling): stores the input row <paramref name="v"/>
    /// <c>[B, in, 1, W]</c> in <paramref name="cache"/> and returns that row's output and the link into the next row.
    /// A spatial context is that row of the map, <c>[B, K, 1, W]</c>.
    /// </summary>
    public (Tensor Output, Tensor Link) VerticalRow(Tensor cache, int row, Tensor v, Tensor? context)
    {
        vertical.WriteRow(cache, row, v);
        Tensor pre = ContextBias.Add(vertical.RowAt(cache, row), conditionVertical, context, spatialContext);
        return (GatedActivation.Gate(pre), link.forward(pre));
    }

    /// <summary>The link <c>[B, 2p, 1, W]</c> into row 0, which has no row above (the down shift's zeros).</summary>
    public Tensor FirstRowLink(long batch, long width, ScalarType dtype, Device device) =>
        link.forward(zeros([batch, link.in_channels, 1, width], dtype, device));

    /// <summary>Stores the horizontal stack's input <c>[B, in]</c> at pixel <paramref name="col"/> of the row's cache.</summary>
    public void WriteHorizontal(Tensor cache, int col, Tensor h) => horizontal.Write(cache, 0, col, h);

    /// <summary>
    /// The horizontal stack at pixel <paramref name="col"/> of the current row (cached sampling): stores its input
    /// <paramref name="h"/> <c>[B, in]</c> in the row's <paramref name="cache"/> and returns the output <c>[B, p]</c>,
    /// given the vertical link <c>[B, 2p]</c> at that pixel. A spatial context is the map at that pixel, <c>[B, K]</c>.
    /// </summary>
    public Tensor HorizontalAt(Tensor cache, int col, Tensor h, Tensor linkAt, Tensor? context)
    {
        WriteHorizontal(cache, col, h);
        Tensor pre = ContextBias.Add(horizontal.At(cache, 0, col) + linkAt, conditionHorizontal, context, spatialContext);
        Tensor gated = GatedActivation.Gate(pre.view(pre.size(0), -1, 1, 1));
        Tensor y = output.At(gated, 0, 0);
        return residual ? y + h : y;
    }
}
