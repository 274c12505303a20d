using Tractable.Networks.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// <see cref="ThinConvolution"/> as an operation of the autograd graph: the forward by the kernels, and a backward
/// that gives the input's gradient as the convolution of the output's gradient by the transposed, flipped kernel and
/// the weight's by <see cref="Conv3x3WeightGradient"/>.
/// </summary>
internal sealed class ThinConvolutionFunction : ConvolutionFunction<ThinConvolutionFunction>
{
    public override string Name => nameof(ThinConvolutionFunction);

    /// <summary>x: the input <c>[N, I, H, W]</c>; the weight <c>[O, I, 3, 3]</c>. Returned channels-last.</summary>
    protected override (Tensor Output, Tensor Saved) Convolve(Tensor x, Tensor weight, Tensor? bias, int[]? columns)
    {
        Tensor rows = ThinConvolution.ChannelsLastRows(x);
        bool manyToFew = ThinConvolution.IsManyToFew(weight.size(1), weight.size(0));
        // Few inputs: the bordered input serves both the forward and the weight's gradient.
        Tensor saved = manyToFew ? rows : ThinConvolution.WithBorder(rows);
        Tensor y = manyToFew ? ThinConvolution.ManyToFew(rows, weight, bias) : ThinConvolution.FewToMany(saved, weight, bias);
        return (y.permute(0, 3, 1, 2), saved);
    }

    protected override (Tensor? Input, Tensor Weight, Tensor? Bias) Gradients(Tensor input, Tensor weight, Tensor gradOutput, bool inputGrad, bool hasBias, int[]? columns)
    {
        int outputs = (int)weight.size(0), inputs = (int)weight.size(1);
        Tensor g = ThinConvolution.ChannelsLastRows(gradOutput);                       // [N, H, W, O]
        // ∂L/∂x is the convolution of ∂L/∂y by the kernel with inputs and outputs swapped and taps flipped.
        Tensor transposed = weight.detach().transpose(0, 1).flip(2, 3);
        Tensor? gradInput = null;
        Tensor gradWeight;
        int images = (int)g.size(0), height = (int)g.size(1), width = (int)g.size(2);
        int parts = ConvolutionGeometry.Parts(images, get_num_threads());
        unsafe
        {
            if (ThinConvolution.IsManyToFew(inputs, outputs))
            {
                if (inputGrad) gradInput = ThinConvolution.FewToMany(ThinConvolution.WithBorder(g), transposed, null);
                int padded = ThinConvolution.PaddedOutputs(outputs);
                Tensor g4 = outputs == padded ? g : nn.functional.pad(g, [0, padded - outputs]).contiguous();
                Tensor partials = zeros(parts, 9, padded, inputs, dtype: ScalarType.Float32);
                Conv3x3WeightGradient.ManyInputs(TensorAddress.Of(input), TensorAddress.Of(g4),
                    TensorAddress.Of(partials), images, height, width, inputs, padded, parts);
                TensorAddress.KeepAlive(input, g4);
                gradWeight = partials.sum(dim: 0).narrow(1, 0, outputs).reshape(3, 3, outputs, inputs).permute(2, 3, 0, 1);
            }
            else
            {
                if (inputGrad) gradInput = ThinConvolution.ManyToFew(g, transposed, null);
                Tensor partials = zeros([parts, 3, 3, inputs, outputs], dtype: ScalarType.Float32);
                Conv3x3WeightGradient.FewInputs(TensorAddress.Of(input), TensorAddress.Of(g),
                    TensorAddress.Of(partials), images, height, width, inputs, outputs, parts);
                TensorAddress.KeepAlive(input, g);
                gradWeight = partials.sum(dim: 0).permute(3, 2, 0, 1);
            }
        }
        return (gradInput?.permute(0, 3, 1, 2), gradWeight.contiguous(), hasBias ? gradOutput.sum([0, 2, 3]) : null);
    }
}
