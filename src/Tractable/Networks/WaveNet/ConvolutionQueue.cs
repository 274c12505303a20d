using static TorchSharp.torch;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// Step-by-step evaluation of a <see cref="CausalConv1d"/> (Fast WaveNet, Paine et al. 2016, arXiv:1611.09482, §3):
/// a ring buffer keeps the layer's last <c>(k−1)·d</c> inputs, so each new output is one matrix product of the
/// filter with the stacked taps <c>[x[t−(k−1)d], …, x[t−d], x[t]]</c> instead of a convolution over the whole
/// receptive field. The buffer starts at zero, which is exactly the causal convolution's left padding.
/// </summary>
public sealed class ConvolutionQueue : IDisposable
{
    private readonly Tensor buffer;          // [(k−1)d, B, C_in], slot = time mod length
    private readonly Tensor[] taps;          // per tap j (oldest first): [C_in, C_out]
    private readonly Tensor bias;            // [C_out] (zeros without a bias)
    private readonly int kernelSize;
    private readonly int dilation;
    private long time;

    /// <summary>A queue for <paramref name="conv"/> generating <paramref name="batch"/> sequences.</summary>
    public ConvolutionQueue(CausalConv1d conv, long batch)
    {
        kernelSize = conv.KernelSize;
        dilation = conv.Dilation;
        using var scope = NewDisposeScope();
        Tensor w = conv.TapMatrix().detach();                                        // [C_out, k·C_in]
        taps = Enumerable.Range(0, kernelSize)
            .Select(j => w.narrow(1, (long)j * conv.InChannels, conv.InChannels).t().contiguous().MoveToOuterDisposeScope()).ToArray();
        bias = (conv.Bias?.detach().clone() ?? zeros([conv.OutChannels], dtype: w.dtype, device: w.device)).MoveToOuterDisposeScope();
        buffer = zeros([Math.Max(1, conv.History), batch, conv.InChannels], dtype: w.dtype, device: w.device).MoveToOuterDisposeScope();
    }

    /// <summary>Feeds the input at the next time step <c>[B, C_in]</c> and returns the output there <c>[B, C_out]</c>.</summary>
    /// <remarks>
    /// <c>y = b + Σ_j x[t − (k−1−j)d] W_j</c> as a chain of <c>addmm</c>s (few native calls per step: the cost of a
    /// step is dominated by call overhead, not arithmetic). For k = 2 the slot read is the slot written.
    /// </remarks>
    public Tensor Step(Tensor input)
    {
        long length = buffer.size(0);
        Tensor y = bias;
        if (kernelSize == 2)
        {
            // The slot of x[t − d] is the slot x[t] goes to: read it, then overwrite it.
            Tensor slot = buffer.select(0, time % length);
            y = addmm(addmm(y, slot, taps[0], 1, 1), input, taps[1], 1, 1);
            slot.copy_(input);
        }
        else
        {
            for (int j = 0; j < kernelSize - 1; j++)
                y = addmm(y, buffer.select(0, Modulo(time - (long)(kernelSize - 1 - j) * dilation, length)), taps[j], 1, 1);
            y = addmm(y, input, taps[kernelSize - 1], 1, 1);
            if (kernelSize > 1) buffer.select(0, Modulo(time, length)).copy_(input);
        }
        time++;
        return y;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        buffer.Dispose();
        foreach (Tensor t in taps) t.Dispose();
        bias.Dispose();
    }

    private static long Modulo(long a, long n) => ((a % n) + n) % n;
}
