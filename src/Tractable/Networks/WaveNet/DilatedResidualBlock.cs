using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// One WaveNet layer (van den Oord et al. 2016, arXiv:1609.03499, §2.3-2.5, fig. 4): a dilated causal convolution,
/// the gated activation unit <c>z = tanh(W_f * h + V_f c) ⊙ σ(W_g * h + V_g c)</c> (eq. 2-3; <c>c</c> = global
/// and/or upsampled local conditioning), then one 1×1 convolution split into the residual (added to <c>h</c>) and the
/// skip output.
/// </summary>
/// <remarks>Shapes: <c>h [B, R, T]</c>, global <c>[B, G]</c>, local <c>[B, L, T]</c> → <c>(h' [B, R, T], skip [B, S, T])</c>.</remarks>
public sealed class DilatedResidualBlock : nn.Module
{
    private readonly CausalConv1d dilated;
    private readonly Linear? globalProjection;
    private readonly Conv1d? localProjection;
    private readonly Conv1d output;
    private readonly int residualChannels;

    /// <summary>A layer with <paramref name="residualChannels"/> channels, <paramref name="skipChannels"/> skip channels and the given dilation.</summary>
    public DilatedResidualBlock(int residualChannels, int skipChannels, int kernelSize, int dilation,
        int globalFeatures = 0, int localFeatures = 0) : base(nameof(DilatedResidualBlock))
    {
        this.residualChannels = residualChannels;
        dilated = new CausalConv1d(residualChannels, 2 * residualChannels, kernelSize, dilation);
        if (globalFeatures > 0) globalProjection = nn.Linear(globalFeatures, 2 * residualChannels, hasBias: false);
        if (localFeatures > 0) localProjection = nn.Conv1d(localFeatures, 2 * residualChannels, 1, bias: false);
        output = nn.Conv1d(residualChannels, residualChannels + skipChannels, 1);
        RegisterComponents();
    }

    /// <summary>The dilated convolution (its history sets this layer's share of the receptive field).</summary>
    public CausalConv1d Dilated => dilated;

    /// <summary>Applies the layer to a whole sequence.</summary>
    public (Tensor Residual, Tensor Skip) Forward(Tensor h, Tensor? global = null, Tensor? local = null)
    {
        Tensor o = Pointwise.Apply(output, Gated(h, global, local));                // [B, R+S, T]
        // Split, not narrowed: the backward of split writes the two gradients into one map (a concatenation), where
        // each narrowed view's backward would fill a zero map of the whole width, copy its part in, and the two maps
        // then be added.
        Tensor[] parts = TensorSizes.Split(o, [residualChannels, o.size(1) - residualChannels], 1);
        return (h + parts[0], parts[1]);
    }

    /// <summary>Whether <see cref="ForwardRows"/> runs both convolutions of the block on the window kernel for rows
    /// <paramref name="h"/> <c>[B, T, R]</c>.</summary>
    public bool TakesRows(Tensor h) =>
        h.size(2) >= WideLinear.FewestInputs && WindowKernel.Takes(h, dilated.Weight) && WindowKernel.Takes(h, output.weight!);

    /// <summary>
    /// <see cref="Forward"/> over rows <paramref name="h"/> <c>[B, T, R]</c> (the channels innermost), without
    /// gradients: the residual output <c>[B, T, R]</c> and the skip output <c>[B, T, S]</c>. The convolutions run on the
    /// window kernel where it takes them (<see cref="CausalConv1d.ForwardRows"/>, <see cref="Pointwise.ApplyRows"/>),
    /// and the gate over the rows' halves.
    /// </summary>
    public (Tensor Residual, Tensor Skip) ForwardRows(Tensor h, Tensor? global = null, Tensor? local = null)
    {
        Tensor z = dilated.ForwardRows(h);                                         // [B, T, 2R]
        if (Conditioning(global, local, timeAxis: true) is { } c) z = z + c.transpose(1, 2);
        // Each row's halves are the filter and the gate: the gate of [B·T, 2R, 1].
        Tensor a = Pixel.GatedActivation.Gate(z.reshape(-1, z.size(2), 1)).view(z.size(0), z.size(1), -1);
        Tensor o = Pointwise.ApplyRows(output, a);                                 // [B, T, R + S]
        return (add(h, o.narrow(2, 0, residualChannels), Scalars.One), o.narrow(2, residualChannels, o.size(2) - residualChannels));
    }

    /// <summary>
    /// <see cref="Forward"/> with the skip output of the last <paramref name="skipSteps"/> steps only (all that the
    /// logits there need), and no residual output when <paramref name="last"/>: the last layer's feeds nothing.
    /// </summary>
    public (Tensor? Residual, Tensor Skip) ForwardTail(Tensor h, long skipSteps, bool last, Tensor? global = null, Tensor? local = null)
    {
        Tensor a = Gated(h, global, local);                                         // [B, R, T]
        long t = a.size(2), skipChannels = output.weight!.size(0) - residualChannels;
        Tensor skip = Pointwise.Apply(output, a.narrow(2, t - skipSteps, skipSteps), residualChannels, skipChannels);
        return (last ? null : h + Pointwise.Apply(output, a, 0, residualChannels), skip);
    }

    private Tensor Gated(Tensor h, Tensor? global, Tensor? local)
    {
        Tensor z = dilated.forward(h);                                             // [B, 2R, T]
        if (Conditioning(global, local, timeAxis: true) is { } c) z = z + c;
        return Pixel.GatedActivation.Gate(z);
    }

    /// <summary>
    /// The conditioning term <c>V c</c> added before the gate: <c>[B, 2R, 1]</c> or <c>[B, 2R, T]</c> with
    /// <paramref name="timeAxis"/>, or <c>[B, 2R]</c> / <c>[T, B, 2R]</c> without (step-by-step use); null without conditioning.
    /// </summary>
    public Tensor? Conditioning(Tensor? global, Tensor? local, bool timeAxis)
    {
        Tensor? c = null;
        if (globalProjection is not null)
        {
            if (global is null) throw new ArgumentException("This WaveNet is globally conditioned: a global context [B, G] is required.");
            c = globalProjection.forward(global);                                   // [B, 2R]
            if (timeAxis) c = c.unsqueeze(-1);
        }
        if (localProjection is not null)
        {
            if (local is null) throw new ArgumentException("This WaveNet is locally conditioned: local features [B, L, T_c] are required.");
            Tensor l = Pointwise.Apply(localProjection, local);                     // [B, 2R, T]
            if (!timeAxis) l = l.permute(2, 0, 1);                                   // [T, B, 2R]
            c = c is null ? l : c + l;
        }
        return c;
    }

    /// <summary>A queue for step-by-step generation of <paramref name="batch"/> sequences.</summary>
    public ConvolutionQueue CreateQueue(long batch) => new(dilated, batch);

    /// <summary>The 1×1 output convolution split for step-by-step use: residual <c>[R, R]</c>, <c>[R]</c> and skip <c>[R, S]</c>, <c>[S]</c> (transposed).</summary>
    public (Tensor ResidualWeight, Tensor ResidualBias, Tensor SkipWeight, Tensor SkipBias) StepWeights()
    {
        using var scope = NewDisposeScope();
        Tensor w = output.weight!.detach().squeeze(-1), b = output.bias!.detach();
        long r = residualChannels, s = w.size(0) - r;
        Tensor rw = w.narrow(0, 0, r).t().contiguous(), rb = b.narrow(0, 0, r).clone();
        Tensor sw = w.narrow(0, r, s).t().contiguous(), sb = b.narrow(0, r, s).clone();
        scope.MoveToOuter(rw, rb, sw);
        return (rw, rb, sw, sb.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// One time step with the queue of past inputs: <c>h [B, R]</c> and the conditioning term at this step
    /// <c>[B, 2R]</c> (or null) → the next residual stream <c>h' [B, R]</c> and the gated activation <c>a [B, R]</c>,
    /// whose skip projection the caller applies to all layers at once. The same function as <see cref="Forward"/>.
    /// </summary>
    public (Tensor Residual, Tensor Gated) Step(ConvolutionQueue queue, (Tensor ResidualWeight, Tensor ResidualBias, Tensor SkipWeight, Tensor SkipBias) weights,
        Tensor h, Tensor? condition)
    {
        Tensor z = queue.Step(h);                                                   // [B, 2R]
        if (condition is not null) z.add_(condition);
        z.narrow(1, 0, residualChannels).tanh_();
        Tensor a = nn.functional.glu(z, 1);                                         // tanh(z_f) ⊙ σ(z_g)
        return (addmm(h, a, weights.ResidualWeight, 1, 1).add_(weights.ResidualBias), a);
    }
}
