using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// A linear layer whose weight is multiplied by a fixed 0/1 mask, <c>y = x (W ⊙ M)ᵀ + b</c>
/// (MADE, Germain et al. 2015, arXiv:1502.03509, eq. 10). The mask is a buffer, built by <see cref="Made"/> from degrees.
/// </summary>
public sealed class MaskedLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor mask;
    private readonly MaskRowBlock[]? blocks;

    /// <summary>A masked layer from <c>mask.shape[1]</c> inputs to <c>mask.shape[0]</c> outputs.</summary>
    /// <param name="mask">The connectivity <c>[out, in]</c>: 1 where output k may see input j.</param>
    /// <param name="zeroInit">Whether weight and bias start at zero (an autoregressive layer then starts as the identity).</param>
    public MaskedLinear(Tensor mask, bool zeroInit = false) : base(nameof(MaskedLinear))
    {
        long outFeatures = mask.shape[0], inFeatures = mask.shape[1];
        // PyTorch's nn.Linear initialization: U(−1/√in, 1/√in).
        double bound = 1.0 / Math.Sqrt(inFeatures);
        weight = new Parameter(zeroInit ? zeros(outFeatures, inFeatures) : empty(outFeatures, inFeatures).uniform_(-bound, bound));
        bias = new Parameter(zeroInit ? zeros(outFeatures) : empty(outFeatures).uniform_(-bound, bound));
        this.mask = mask.detach().to(float32).clone();
        blocks = MaskRowBlocks.Plan(this.mask);
        RegisterComponents();
    }

    /// <summary>The connectivity <c>[out, in]</c>.</summary>
    public Tensor Mask => mask;

    /// <summary>The unmasked weight <c>[out, in]</c>.</summary>
    internal Tensor Weight => weight;

    /// <summary>The bias <c>[out]</c>.</summary>
    internal Tensor Bias => bias;

    /// <inheritdoc />
    /// <remarks>
    /// When the mask is block lower-triangular (<see cref="MaskRowBlocks"/>), no gradient is recorded and libtorch
    /// runs on one thread, the layer multiplies each run of rows by the inputs it can read only
    /// (<see cref="ForwardByBlocks"/>). Under autograd the dense product is cheaper, since every slice's backward
    /// fills a whole gradient; on several threads too, since the small products do not share out well.
    /// </remarks>
    public override Tensor forward(Tensor x)
    {
        bool recorded = is_grad_enabled() && (weight.requires_grad || x.requires_grad);
        if (blocks is null || x.dim() != 2 || recorded || get_num_threads() > 1) return nn.functional.linear(x, weight * mask, bias);
        return ForwardByBlocks(x);
    }

    /// <summary>
    /// The same function as <see cref="forward"/> with the closed blocks' multiply-adds left out: one product per run
    /// of rows over the leading inputs it can read, masked only where the run has closed entries among them. Requires a block lower-triangular mask and inputs <c>[B, in]</c>.
    /// </summary>
    internal Tensor ForwardByBlocks(Tensor x)
    {
        if (blocks is null) throw new InvalidOperationException("This mask is not block lower-triangular.");
        return cat(blocks.Select(b =>
        {
            Tensor w = weight.narrow(0, b.Start, b.Rows).narrow(1, 0, b.Columns);
            if (!b.Open) w = w * mask.narrow(0, b.Start, b.Rows).narrow(1, 0, b.Columns);
            return addmm(bias.narrow(0, b.Start, b.Rows), x.narrow(1, 0, b.Columns), w.t(), 1, 1);
        }).ToArray(), 1);
    }
}
