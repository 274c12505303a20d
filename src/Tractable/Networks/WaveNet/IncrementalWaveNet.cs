using static TorchSharp.torch;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// Fast WaveNet generation (Paine et al. 2016, arXiv:1611.09482): every convolution keeps a queue of its past inputs
/// (<see cref="ConvolutionQueue"/>), so each new sample costs one step through every layer, O(layers), instead of a
/// pass over the whole receptive field. The conditioning terms are computed once for the whole output length.
/// </summary>
public sealed class IncrementalWaveNet : IDisposable
{
    private readonly DilatedResidualBlock[] blocks;
    private readonly ConvolutionQueue input;
    private readonly ConvolutionQueue[] queues;
    private readonly Tensor?[] conditions;     // per layer: [B, 2R] (global only) or [T, B, 2R] (local)
    private readonly (Tensor, Tensor, Tensor, Tensor)[] weights;
    private readonly Tensor skipBias;          // Σ over layers of the skip biases [S]
    private readonly Tensor skipWeight;        // every layer's skip projection stacked: [layers·R, S]
    private readonly (Tensor, Tensor, Tensor, Tensor) head;
    private long time;

    /// <summary>Prepares generation of <paramref name="length"/> samples for <paramref name="batch"/> sequences.</summary>
    public IncrementalWaveNet(WaveNetNetwork network, long batch, long length, Tensor? global = null, Tensor? local = null)
    {
        blocks = network.Blocks.ToArray();
        input = new ConvolutionQueue(network.Input, batch);
        queues = network.Blocks.Select(b => b.CreateQueue(batch)).ToArray();
        weights = blocks.Select(b => b.StepWeights()).ToArray();               // outside the scope below: owned here
        head = network.HeadWeights();
        using var scope = NewDisposeScope();
        Tensor? upsampled = network.UpsampleLocal(local, length);
        conditions = network.Blocks.Select(b => b.Conditioning(global, upsampled, timeAxis: false)?.contiguous().MoveToOuterDisposeScope()).ToArray();
        skipBias = stack(weights.Select(w => w.Item4).ToArray()).sum(new long[] { 0 }).MoveToOuterDisposeScope();
        skipWeight = cat(weights.Select(w => w.Item3).ToArray(), 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Feeds the previous sample as a one-hot row <c>[B, Q]</c> (zeros at the first step: the network's shift) and
    /// returns the logits of the next sample <c>[B, Q]</c>.
    /// </summary>
    public Tensor Step(Tensor previous)
    {
        Tensor h = input.Step(previous);
        var gated = new Tensor[queues.Length];
        for (int i = 0; i < queues.Length; i++)
        {
            Tensor? c = conditions[i] is { } all ? (all.dim() == 3 ? all.select(0, time) : all) : null;
            (h, gated[i]) = blocks[i].Step(queues[i], weights[i], h, c);
        }
        time++;
        // Σ_i skip_i = Σ_i (a_i W_i + b_i) as one product of the stacked activations (fewer calls per sample).
        Tensor skip = addmm(skipBias, cat(gated, 1), skipWeight, 1, 1);
        var (w1, b1, w2, b2) = head;
        return addmm(b2, addmm(b1, skip.relu_(), w1, 1, 1).relu_(), w2, 1, 1);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        input.Dispose();
        foreach (ConvolutionQueue q in queues) q.Dispose();
        foreach (Tensor? c in conditions) c?.Dispose();
        foreach (var (a, b, c, d) in weights.Append(head)) { a.Dispose(); b.Dispose(); c.Dispose(); d.Dispose(); }
        skipBias.Dispose();
        skipWeight.Dispose();
    }
}
