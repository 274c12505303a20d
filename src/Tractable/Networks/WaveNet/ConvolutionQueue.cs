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
    private readonly Tensor weight;          // [k·C_in, C_out]
    private readonly Tensor? bias;           // [C_out]
    private readonly int kernelSize;
    private readonly int dilation;
    private long time;

    /// <summary>A queue for <paramref name="conv"/> generating <paramref name="batch"/> sequences.</summary>
    public ConvolutionQueue(CausalConv1d conv, long batch)
    {
        kernelSize = conv.KernelSize;
        dilation = conv.Dilation;
        using var scope = NewDisposeScope();
        Tensor w = conv.TapMatrix();
        weight = w.t().contiguous().detach().MoveToOuterDisposeScope();
        bias = conv.Bias?.detach().clone().MoveToOuterDisposeScope();
        buffer = zeros([Math.Max(1, conv.History), batch, conv.InChannels], dtype: w.dtype, device: w.device).MoveToOuterDisposeScope();
    }

    /// <summary>Feeds the input at the next time step <c>[B, C_in]</c> and returns the output there <c>[B, C_out]</c>.</summary>
    public Tensor Step(Tensor input)
    {
        long length = buffer.shape[0];
        Tensor taps = input;
        if (kernelSize > 1)
        {
            var stacked = new Tensor[kernelSize];
            for (int j = 0; j < kernelSize - 1; j++)
                stacked[j] = buffer[Modulo(time - (long)(kernelSize - 1 - j) * dilation, length)];
            stacked[kernelSize - 1] = input;
            taps = cat(stacked, 1);
            buffer[Modulo(time, length)].copy_(input);
        }
        time++;
        return bias is null ? taps.matmul(weight) : addmm(bias, taps, weight, 1, 1);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        buffer.Dispose();
        weight.Dispose();
        bias?.Dispose();
    }

    private static long Modulo(long a, long n) => ((a % n) + n) % n;
}
