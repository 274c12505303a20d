using Tractable.Networks.Kernels;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// <see cref="PointwiseConvolution"/> as an operation of the autograd graph: the forward and the input's gradient by
/// libtorch's convolutions, the weight's gradient as <c>(∂L/∂Y)ᵀ X</c> over the channels-last rows.
/// </summary>
internal sealed class PointwiseConvolutionFunction : ConvolutionFunction<PointwiseConvolutionFunction>
{
    public override string Name => nameof(PointwiseConvolutionFunction);

    /// <summary>x: the channels-last input <c>[N, I, H, W]</c>; the weight <c>[O, I, 1, 1]</c>.</summary>
    protected override (Tensor Output, Tensor Saved) Convolve(Tensor x, Tensor weight, Tensor? bias, int[]? columns) =>
        (nn.functional.conv2d(x, weight, bias), x);

    protected override (Tensor? Input, Tensor Weight, Tensor? Bias) Gradients(Tensor input, Tensor weight, Tensor gradOutput, bool inputGrad, bool hasBias, int[]? columns)
    {
        long outputs = weight.size(0), inputs = weight.size(1);
        Tensor g = gradOutput.permute(0, 2, 3, 1).contiguous();                  // [N, H, W, O], a view where channels-last
        Tensor gRows = g.view(-1, outputs), xRows = input.permute(0, 2, 3, 1).view(-1, inputs);
        Tensor gradWeight = mm(gRows.t(), xRows).view(outputs, inputs, 1, 1);
        // ∂L/∂x is the 1×1 convolution of ∂L/∂y by Wᵀ: libtorch's transposed convolution.
        Tensor? gradInput = inputGrad ? nn.functional.conv_transpose2d(g.permute(0, 3, 1, 2), weight.detach()) : null;
        return (gradInput, gradWeight, hasBias ? gRows.sum(dim: 0) : null);
    }
}
