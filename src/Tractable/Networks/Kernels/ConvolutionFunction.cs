using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Networks.Kernels;

/// <summary>
/// A convolution as an operation of the autograd graph with a backward of its own: the plumbing the library's
/// convolution functions share. The forward saves what <see cref="Convolve"/> names and the weight; the backward
/// hands <see cref="Gradients"/> what was saved and the output's gradient, and the gradients it returns to the engine
/// through <see cref="GradientHandOff"/>. Second derivatives are not provided.
/// </summary>
/// <typeparam name="TSelf">The function itself, as TorchSharp's <c>SingleTensorFunction</c> asks.</typeparam>
internal abstract class ConvolutionFunction<TSelf> : autograd.SingleTensorFunction<TSelf> where TSelf : ConvolutionFunction<TSelf>, new()
{
    /// <summary>
    /// vars: the input, the weight and the bias or null; optionally, fourth, the open columns of each kernel row
    /// (<c>int[]</c>: per row, the leading columns that hold open taps of a masked kernel).
    /// </summary>
    public sealed override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var weight = (Tensor)vars[1];
        var bias = vars[2] as Tensor;
        int[]? columns = vars.Length > 3 ? (int[])vars[3] : null;
        using var scope = NewDisposeScope();
        (Tensor output, Tensor saved) = Convolve(x, weight, bias, columns);
        ctx.save_for_backward([saved, weight]);
        ctx.save_data("input_grad", x.requires_grad);
        ctx.save_data("bias", bias is not null);
        ctx.save_data("columns", columns ?? NoColumns);
        ctx.save_data("inputs", vars.Length);
        // A tensor made here and saved outlives this scope; the caller's own input is not this scope's to move.
        if (!ReferenceEquals(saved, x)) saved.MoveToOuterDisposeScope();
        return output.MoveToOuterDisposeScope();
    }

    public sealed override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        // Everything made here is freed on return, not at the end of the caller's step. The gradients handed back are
        // taken by the autograd engine once this returns; their wrappers are freed at this thread's next backward call.
        GradientHandOff.ReleasePrevious();
        using var scope = NewDisposeScope();
        List<Tensor> saved = ctx.get_saved_variables();
        bool inputGrad = (bool)ctx.get_data("input_grad"), hasBias = (bool)ctx.get_data("bias");
        var columns = (int[])ctx.get_data("columns");
        (Tensor? input, Tensor weight, Tensor? bias) = Gradients(saved[0], saved[1], gradOutput, inputGrad, hasBias,
            columns.Length == 0 ? null : columns);
        // One gradient per input of the forward; the open columns have none.
        List<Tensor> grads = [input!, weight, bias!];
        if ((int)ctx.get_data("inputs") > 3) grads.Add(null!);
        return GradientHandOff.Keep(grads);
    }

    /// <summary>What the context holds when no open columns were given.</summary>
    private static readonly int[] NoColumns = [];

    /// <summary>The output of the convolution of <paramref name="x"/>, and what the backward reads of the input
    /// (<paramref name="x"/> itself or a layout of it). <paramref name="columns"/>: the open columns of each kernel
    /// row where the caller gave them (the taps outside are zero in the weight).</summary>
    protected abstract (Tensor Output, Tensor Saved) Convolve(Tensor x, Tensor weight, Tensor? bias, int[]? columns);

    /// <summary>
    /// The gradients of the input (null unless <paramref name="inputGrad"/>), the weight and the bias (null unless
    /// <paramref name="hasBias"/>) from what <see cref="Convolve"/> saved and the output's gradient.
    /// </summary>
    protected abstract (Tensor? Input, Tensor Weight, Tensor? Bias) Gradients(Tensor saved, Tensor weight, Tensor gradOutput, bool inputGrad, bool hasBias,
        int[]? columns);
}
