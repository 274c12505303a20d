using TorchSharp;
using TorchSharp.Modules;
using Tractable.Models;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// The WaveNet network (van den Oord et al. 2016, arXiv:1609.03499, fig. 4): the one-hot input is shifted one step
/// to the right (so the output at <c>t</c> sees samples <c>&lt; t</c> only; <c>t = 0</c> sees zeros), a causal
/// convolution of width 2 embeds it, stacks of <see cref="DilatedResidualBlock"/>s with dilations
/// <c>1, 2, …, 2^(n−1)</c> repeated follow, and the summed skip outputs pass through
/// <c>ReLU → 1×1 → ReLU → 1×1</c> to logits over the quantization levels.
/// </summary>
/// <remarks>Shapes: inputs <c>[B, Q, T]</c> (one-hot, float) → logits <c>[B, Q, T]</c>; Q = 256 µ-law levels.</remarks>
public sealed class WaveNetNetwork : nn.Module
{
    private readonly CausalConv1d input;
    private readonly ModuleList<DilatedResidualBlock> blocks;
    private readonly Conv1d head;
    private readonly Conv1d logits;
    private readonly LocalUpsampler? upsampler;

    /// <summary>Builds the network.</summary>
    /// <param name="levels">Quantization levels Q (input one-hot size and output classes).</param>
    /// <param name="residualChannels">Channels R of the residual stream.</param>
    /// <param name="skipChannels">Channels S of the skip connections and the output head.</param>
    /// <param name="dilations">Dilation of each layer, e.g. 1, 2, …, 512, 1, 2, …, 512.</param>
    /// <param name="kernelSize">Width of the dilated filters.</param>
    /// <param name="globalFeatures">Size G of the global conditioning vector (0: none).</param>
    /// <param name="localFeatures">Channels L of the local conditioning sequence (0: none).</param>
    /// <param name="localHop">Audio samples per local conditioning frame.</param>
    /// <param name="localUpsampling">How the local features reach the audio rate.</param>
    public WaveNetNetwork(int levels, int residualChannels, int skipChannels, IReadOnlyList<int> dilations, int kernelSize = 2,
        int globalFeatures = 0, int localFeatures = 0, int localHop = 1, LocalUpsampling localUpsampling = LocalUpsampling.Repeat) : base(nameof(WaveNetNetwork))
    {
        Levels = levels;
        input = new CausalConv1d(levels, residualChannels, InputKernel);
        blocks = new ModuleList<DilatedResidualBlock>(dilations
            .Select(d => new DilatedResidualBlock(residualChannels, skipChannels, kernelSize, d, globalFeatures, localFeatures)).ToArray());
        head = nn.Conv1d(skipChannels, skipChannels, 1);
        logits = nn.Conv1d(skipChannels, levels, 1);
        if (localFeatures > 0) upsampler = new LocalUpsampler(localFeatures, localHop, localUpsampling);
        RegisterComponents();
    }

    /// <summary>Quantization levels Q.</summary>
    public int Levels { get; }

    /// <summary>Width of the input (embedding) convolution.</summary>
    public const int InputKernel = 2;

    /// <summary>
    /// The number of past samples each output of a network with <paramref name="dilations"/> and
    /// <paramref name="kernelSize"/> depends on: 1 (the shift) + the input convolution's history
    /// <c>InputKernel − 1</c> + the sum of the dilated layers' histories <c>(k−1)·d</c>. For two stacks of 1…512 with
    /// k = 2: 1 + 1 + 2·1023 = 2048.
    /// </summary>
    public static int ReceptiveFieldOf(IEnumerable<int> dilations, int kernelSize) =>
        1 + (InputKernel - 1) + dilations.Sum(d => (kernelSize - 1) * d);

    /// <summary>The embedding convolution of the shifted input.</summary>
    public CausalConv1d Input => input;

    /// <summary>The residual layers, in order.</summary>
    public IList<DilatedResidualBlock> Blocks => blocks;

    /// <summary>The logits <c>[B, Q, T]</c> of every sample given the previous ones (and the conditioning).</summary>
    /// <param name="inputs">The one-hot inputs <c>[B, Q, T]</c>.</param>
    /// <param name="global">The global conditioning <c>[B, G]</c>, if the network has one.</param>
    /// <param name="local">The local conditioning <c>[B, L, T_c]</c>, if the network has one.</param>
    public Tensor Forward(Tensor inputs, Tensor? global = null, Tensor? local = null)
    {
        long t = inputs.size(2);
        Tensor shifted = nn.functional.pad(inputs, [1, 0]).narrow(2, 0, t);       // position t holds sample t − 1
        return Pointwise.ApplyPerPosition(logits, HeadHidden(input.forward(shifted), global, local));
    }

    /// <summary>
    /// <see cref="Forward"/> of the one-hot encoding of <paramref name="levels"/> <c>[B, T]</c> (int64), without
    /// building it: the input convolution becomes row lookups (<see cref="CausalConv1d.ForwardOneHot"/>).
    /// </summary>
    public Tensor ForwardLevels(Tensor levels, Tensor? global = null, Tensor? local = null)
    {
        return Pointwise.ApplyPerPosition(logits, HeadHidden(input.ForwardOneHot(Shifted(levels)), global, local));
    }

    /// <summary>Positions per product of <see cref="LevelLogProbs"/>: 2,048 rows of 256 logits take 2 MiB.</summary>
    public const int PositionChunk = 2048;

    /// <summary>
    /// <c>log p(x_t | x_&lt;t)</c> <c>[B, T]</c> of the levels <paramref name="levels"/> <c>[B, T]</c> (int64): the log-softmax
    /// of <see cref="ForwardLevels"/> at each observed level, for evaluation without gradients.
    /// </summary>
    /// <remarks>
    /// The last layer and the softmax run over <see cref="PositionChunk"/> positions at a time, so that each chunk's
    /// logits stay in cache instead of all of them (16 MB for 16 crops of 1,025 samples) being written, normalized and
    /// read back.
    /// </remarks>
    public Tensor LevelLogProbs(Tensor levels, Tensor? global = null, Tensor? local = null)
    {
        Tensor h = input.ForwardOneHot(Shifted(levels));                                          // [B, R, T]
        // Rows [B, T, C] through the trunk where the window kernel takes its layers: the lookups' own layout, and the
        // one the kernel and the chunks below read.
        Tensor hidden = blocks.Count > 0 && blocks[0].TakesRows(h.transpose(1, 2))
            ? HeadHiddenRows(h.transpose(1, 2), global, local)
            : HeadHidden(h, global, local).transpose(1, 2);                                      // [B, T, S]
        long b = levels.size(0), positions = b * levels.size(1);
        Tensor rows = hidden.reshape(positions, -1), observed = levels.reshape(positions, 1);
        Tensor weight = logits.weight!.squeeze(2);
        Tensor logp = empty(positions, hidden.dtype, hidden.device);
        for (long start = 0; start < positions; start += PositionChunk)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(PositionChunk, positions - start);
            Tensor chunk = nn.functional.linear(rows.narrow(0, start, n), weight, logits.bias).log_softmax(1);
            logp.narrow(0, start, n).copy_(chunk.gather(1, observed.narrow(0, start, n)).squeeze(1));
        }
        return logp.view(b, -1);
    }

    /// <summary>
    /// The logits <c>[B, Q]</c> of the last step of <paramref name="levels"/> <c>[B, T]</c> alone, the same values as
    /// <c>ForwardLevels(levels).select(2, T − 1)</c>: the skip outputs and the head run on that step only (naive
    /// generation needs no more).
    /// </summary>
    public Tensor LastLogits(Tensor levels, Tensor? global = null, Tensor? local = null)
    {
        Tensor? h = input.ForwardOneHot(Shifted(levels));
        Tensor? upsampled = UpsampleLocal(local, levels.size(1));
        Tensor? skip = null;
        for (int i = 0; i < blocks.Count; i++)
        {
            (h, Tensor s) = blocks[i].ForwardTail(h!, 1, last: i == blocks.Count - 1, global, upsampled);
            skip = skip is null ? s : skip + s;
        }
        return Pointwise.Apply(logits, Pointwise.Apply(head, skip!.relu()).relu_()).squeeze(2);
    }

    /// <summary>Levels <c>[B, T]</c> shifted one step right, −1 (a zero input) first: position t holds sample t − 1.</summary>
    private static Tensor Shifted(Tensor levels) =>
        cat([full([levels.size(0), 1], -1L, int64, levels.device), levels.narrow(1, 0, levels.size(1) - 1)], 1);

    /// <summary>The residual trunk from the input layer's output <paramref name="h"/>, through the skip sum, to the head's hidden layer after its ReLU <c>[B, S, T]</c>.</summary>
    private Tensor HeadHidden(Tensor h, Tensor? global, Tensor? local)
    {
        Tensor? upsampled = UpsampleLocal(local, h.size(2));
        // One layout, [B, C, T], for the whole trunk: the input lookups return a transposed view of [B, T, C], which
        // every dilated convolution would copy and every residual sum would mix with the convolutions' outputs (race
        // density at batch 16: 309 → 265 ms at one thread, 168 → 142 ms at two, with the 1×1 layers convolved; a
        // training step: 995 → 931 ms at one thread, 540 → 518 ms at two).
        h = h.contiguous();
        Tensor? skip = null;
        foreach (DilatedResidualBlock block in blocks)
        {
            (h, Tensor s) = block.Forward(h, global, upsampled);
            skip = skip is null ? s : skip + s;
        }
        return Pointwise.Apply(head, skip!.relu()).relu_();
    }

    /// <summary><see cref="HeadHidden"/> over rows <paramref name="h"/> <c>[B, T, R]</c>, without gradients: <c>[B, T, S]</c>.</summary>
    private Tensor HeadHiddenRows(Tensor h, Tensor? global, Tensor? local)
    {
        Tensor? upsampled = UpsampleLocal(local, h.size(1));
        Tensor? skip = null;
        foreach (DilatedResidualBlock block in blocks)
        {
            (h, Tensor s) = block.ForwardRows(h, global, upsampled);
            skip = skip is null ? s.contiguous() : skip.add_(s, Scalars.One);
        }
        return Pointwise.ApplyRows(head, skip!.relu()).relu_();
    }

    /// <summary>Local conditioning at the audio rate <c>[B, L, T]</c>, or null when the network has none.</summary>
    public Tensor? UpsampleLocal(Tensor? local, long length) => upsampler is null
        ? null
        : upsampler.Forward(local ?? throw new ArgumentException("This WaveNet is locally conditioned: local features [B, L, T_c] are required."), length);

    /// <summary>The output head's 1×1 convolutions as transposed matrices and biases, for step-by-step use.</summary>
    public (Tensor Weight1, Tensor Bias1, Tensor Weight2, Tensor Bias2) HeadWeights()
    {
        using var scope = NewDisposeScope();
        Tensor w1 = head.weight!.detach().squeeze(-1).t().contiguous(), b1 = head.bias!.detach().clone();
        Tensor w2 = logits.weight!.detach().squeeze(-1).t().contiguous(), b2 = logits.bias!.detach().clone();
        scope.MoveToOuter(w1, b1, w2);
        return (w1, b1, w2, b2.MoveToOuterDisposeScope());
    }
}
