using TorchSharp;
using TorchSharp.Modules;
using Tractable.Runtime;
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
    private readonly MaskColumnRun[]? runs;
    private readonly int[] depths;

    /// <summary>A masked layer from <c>mask.shape[1]</c> inputs to <c>mask.shape[0]</c> outputs.</summary>
    /// <param name="mask">The connectivity <c>[out, in]</c>: 1 where output k may see input j.</param>
    /// <param name="zeroInit">Whether weight and bias start at zero (an autoregressive layer then starts as the identity).</param>
    public MaskedLinear(Tensor mask, bool zeroInit = false) : base(nameof(MaskedLinear))
    {
        long outFeatures = mask.size(0), inFeatures = mask.size(1);
        // PyTorch's nn.Linear initialization: U(−1/√in, 1/√in).
        double bound = 1.0 / Math.Sqrt(inFeatures);
        weight = new Parameter(zeroInit ? zeros(outFeatures, inFeatures) : empty(outFeatures, inFeatures).uniform_(-bound, bound));
        bias = new Parameter(zeroInit ? zeros(outFeatures) : empty(outFeatures).uniform_(-bound, bound));
        this.mask = mask.detach().to(float32).clone();
        runs = MaskColumnRuns.Plan(this.mask);
        depths = WideLinear.MaskDepths(this.mask);
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
    /// Without gradients, rows of at least <see cref="WideLinear.FewestInputs"/> inputs go through the window kernel
    /// (<see cref="WideLinear"/>), each group of 32 outputs reading only the leading inputs its mask leaves open: for
    /// MAF's 512-unit hidden layer at batch 256, 0.93 ms by runs of columns became 0.33 ms on one thread
    /// (docs/benchmarks.md). Otherwise, when the mask splits into runs of columns that skip at least a tenth of the
    /// products (<see cref="MaskColumnRuns"/>) and no gradient is recorded, the layer adds each run's inputs times its
    /// open block into the outputs it reaches (<see cref="ForwardByRuns"/>). Under autograd the dense product is
    /// cheaper, since every slice's backward fills a whole gradient.
    /// </remarks>
    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>
    /// <see cref="forward"/>, written into <paramref name="into"/> <c>[B, out]</c> where it is given and no gradient
    /// is recorded (<see cref="HiddenBuffers"/>), into a new tensor otherwise.
    /// </summary>
    internal Tensor Forward(Tensor x, Tensor? into)
    {
        if (IsRecorded(x)) return nn.functional.linear(x, weight * mask, bias);
        if (WideLinear.Applies(x, weight, bias))
            return WideLinear.Write(x, weight, bias, into ?? empty(x.size(0), mask.size(0), ScalarType.Float32), mask, depths);
        if (runs is not null && x.dim() == 2) return ForwardByRuns(x, into);
        if (into is null || x.dim() != 2) return nn.functional.linear(x, weight * mask, bias);
        return into.copy_(bias.expand(TensorSizes.Of(into))).addmm_(x, (weight * mask).t(), 1, 1);
    }

    /// <summary>Whether autograd records a pass on <paramref name="x"/> through this layer.</summary>
    internal bool IsRecorded(Tensor x) => is_grad_enabled() && (RequiresGrad || x.requires_grad);

    /// <summary>Whether the weight or the bias requires a gradient.</summary>
    internal bool RequiresGrad => weight.requires_grad || bias.requires_grad;

    /// <summary>
    /// The same function as <see cref="forward"/> with the closed blocks' multiply-adds left out: the bias, plus for
    /// each run of columns its inputs times its block added into the trailing outputs that read them, masked only where
    /// the block has closed entries. Requires inputs <c>[B, in]</c> and a mask that <see cref="MaskColumnRuns"/> splits.
    /// </summary>
    internal Tensor ForwardByRuns(Tensor x, Tensor? into = null)
    {
        if (runs is null) throw new InvalidOperationException("This mask does not split into runs of columns.");
        long outFeatures = mask.size(0);
        Tensor y = into is null ? bias.expand(x.size(0), outFeatures).contiguous() : into.copy_(bias.expand(TensorSizes.Of(into)));
        foreach (MaskColumnRun r in runs)
        {
            long reading = outFeatures - r.FirstRow;
            Tensor w = weight.narrow(0, r.FirstRow, reading).narrow(1, r.Start, r.Columns);
            if (!r.Open) w = w * mask.narrow(0, r.FirstRow, reading).narrow(1, r.Start, r.Columns);
            y.narrow(1, r.FirstRow, reading).addmm_(x.narrow(1, r.Start, r.Columns), w.t());
        }
        return y;
    }
}
