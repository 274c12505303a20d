using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks.WaveNet;

/// <summary>
/// A causal 1-D convolution by left padding (WaveNet, van den Oord et al. 2016, arXiv:1609.03499, §2.1, fig. 2-3):
/// <c>y[t] = b + Σ_j W_j x[t − (k − 1 − j)·d]</c>, with zeros before the start, so output <c>t</c> sees inputs
/// <c>t − (k−1)d … t</c> only. No mask: the input is padded by <c>(k−1)d</c> zeros on the left and convolved "valid".
/// </summary>
/// <remarks>Shapes: <c>[B, C_in, T] → [B, C_out, T]</c>. Example: <c>new CausalConv1d(32, 64, kernelSize: 2, dilation: 4)</c>.</remarks>
public sealed class CausalConv1d : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv;

    /// <summary>A causal convolution with <paramref name="kernelSize"/> taps spaced <paramref name="dilation"/> apart.</summary>
    public CausalConv1d(int inChannels, int outChannels, int kernelSize = 2, int dilation = 1, bool bias = true)
        : base(nameof(CausalConv1d))
    {
        if (kernelSize < 1 || dilation < 1) throw new ArgumentOutOfRangeException(nameof(kernelSize), "Kernel size and dilation must be at least 1.");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Dilation = dilation;
        conv = nn.Conv1d(inChannels, outChannels, kernelSize, dilation: dilation, bias: bias);
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Taps of the filter.</summary>
    public int KernelSize { get; }

    /// <summary>Spacing of the taps in time steps.</summary>
    public int Dilation { get; }

    /// <summary>How many past steps an output sees beyond its own: <c>(k − 1)·d</c>.</summary>
    public int History => (KernelSize - 1) * Dilation;

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => conv.forward(nn.functional.pad(x, [History, 0]));

    /// <summary>The filter as one matrix <c>[C_out, k·C_in]</c> over the taps stacked oldest first (for step-by-step use).</summary>
    public Tensor TapMatrix() => conv.weight!.permute(0, 2, 1).reshape(OutChannels, KernelSize * InChannels);

    /// <summary>The bias <c>[C_out]</c>, or null.</summary>
    public Tensor? Bias => conv.bias;
}
