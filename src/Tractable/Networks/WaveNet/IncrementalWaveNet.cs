using static TorchSharp.torch;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// Fast WaveNet generation (Paine et al. 2016, arXiv:1611.09482): every convolution keeps a queue of its past inputs
/// (<see cref="ConvolutionQueue"/>), so each new sample costs one step through every layer, O(layers), instead of a
/// pass over the whole receptive field. The conditioning terms are computed once for the whole output length.
/// </summary>
public sealed class IncrementalWaveNet : IDisposable
{
    private readonly WaveNetNetwork network;
    private readonly DilatedResidualBlock[] blocks;
    private readonly ConvolutionQueue input;
    private readonly ConvolutionQueue[] queues;
    private readonly Tensor?[] conditions;     // per layer: [B, 2R] (global only) or [T, B, 2R] (local)
    private long time;

    /// <summary>Prepares generation of <paramref name="length"/> samples for <paramref name="batch"/> sequences.</summary>
    public IncrementalWaveNet(WaveNetNetwork network, long batch, long length, Tensor? global = null, Tensor? local = null)
    {
        this.network = network;
        blocks = network.Blocks.ToArray();
        input = new ConvolutionQueue(network.Input, batch);
        queues = network.Blocks.Select(b => b.CreateQueue(batch)).ToArray();
        using var scope = NewDisposeScope();
        Tensor? upsampled = network.UpsampleLocal(local, length);
        conditions = network.Blocks.Select(b => b.Conditioning(global, upsampled, timeAxis: false)?.contiguous().MoveToOuterDisposeScope()).ToArray();
    }

    /// <summary>
    /// Feeds the previous sample as a one-hot row <c>[B, Q]</c> (zeros at the first step: the network's shift) and
    /// returns the logits of the next sample <c>[B, Q]</c>.
    /// </summary>
    public Tensor Step(Tensor previous)
    {
        Tensor h = input.Step(previous);
        Tensor? skip = null;
        for (int i = 0; i < queues.Length; i++)
        {
            Tensor? c = conditions[i] is { } all ? (all.dim() == 3 ? all[time] : all) : null;
            (h, Tensor s) = blocks[i].Step(queues[i], h, c);
            skip = skip is null ? s : skip + s;
        }
        time++;
        return network.HeadStep(skip!);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        input.Dispose();
        foreach (ConvolutionQueue q in queues) q.Dispose();
        foreach (Tensor? c in conditions) c?.Dispose();
    }
}
