using Tractable.Networks.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// <see cref="GatedActivation.Gate"/> as one operation of the autograd graph: the forward and the backward each one pass
/// of <see cref="TanhSigmoidGate"/>. It keeps the input for the backward, the same memory as the two sigmoids that the
/// tensor operations keep.
/// </summary>
internal sealed class TanhSigmoidGateFunction : autograd.SingleTensorFunction<TanhSigmoidGateFunction>
{
    public override string Name => nameof(TanhSigmoidGateFunction);

    /// <summary>vars: the contiguous float32 input <c>[B, 2C, …]</c>.</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward([x]);
        return GatedActivation.FusedGate(x);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        GradientHandOff.ReleasePrevious();
        using var scope = NewDisposeScope();
        Tensor dx = GatedActivation.FusedGradient(ctx.get_saved_variables()[0], gradOutput);
        return GradientHandOff.Keep([dx]);
    }
}
