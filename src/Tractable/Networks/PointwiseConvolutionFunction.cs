using Tractable.Networks.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// <see cref="PointwiseConvolution"/> as an operation of the autograd graph: the forward and the input's gradient by
/// libtorch's convolutions, the weight's gradient as <c>(∂L/∂Y)ᵀ X</c> over the channels-last rows.
/// </summary>
internal sealed class PointwiseConvolutionFunction : autograd.SingleTensorFunction<PointwiseConvolutionFunction>
{
    public override string Name => nameof(PointwiseConvolutionFunction);

    /// <summary>vars: the channels-last input <c>[N, I, H, W]</c>, the weight <c>[O, I, 1, 1]</c> and the bias <c>[O]</c> or null.</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var weight = (Tensor)vars[1];
        var bias = vars[2] as Tensor;
        using var scope = NewDisposeScope();
        Tensor y = nn.functional.conv2d(x, weight, bias);
        ctx.save_for_backward([x, weight]);
        ctx.save_data("input_grad", x.requires_grad);
        ctx.save_data("bias", bias is not null);
        return y.MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        // Everything made here is freed on return; the gradients handed back are kept until this thread's next backward call.
        GradientHandOff.ReleasePrevious();
        using var scope = NewDisposeScope();
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor input = saved[0], weight = saved[1];
        bool inputGrad = (bool)ctx.get_data("input_grad"), hasBias = (bool)ctx.get_data("bias");
        long outputs = weight.shape[0], inputs = weight.shape[1];
        Tensor g = gradOutput.permute(0, 2, 3, 1).contiguous();                  // [N, H, W, O], a view where channels-last
        Tensor gRows = g.view(-1, outputs), xRows = input.permute(0, 2, 3, 1).view(-1, inputs);
        Tensor gradWeight = mm(gRows.t(), xRows).view(outputs, inputs, 1, 1);
        // ∂L/∂x is the 1×1 convolution of ∂L/∂y by Wᵀ: libtorch's transposed convolution.
        Tensor? gradInput = inputGrad ? nn.functional.conv_transpose2d(g.permute(0, 3, 1, 2), weight.detach()) : null;
        Tensor? gradBias = hasBias ? gRows.sum(dim: 0) : null;
        return GradientHandOff.Keep([gradInput!, gradWeight, gradBias!]);
    }
}
