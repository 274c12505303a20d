using Tractable.Networks.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Networks.Pixel;

/// <summary>
/// A stride-1 convolution of an input padded beforehand, as an operation of the autograd graph whose backward computes
/// the weight's gradient as one matrix product per kernel tap over the padded map's pixels, and the input's as the
/// transposed convolution of the output's gradient.
/// </summary>
/// <remarks>
/// In a channels-last map padded to <c>[N, Hp, Wp, I]</c>, tap <c>(r, c)</c> of output pixel <c>p</c> reads the input
/// pixel <c>p + r·Wp + c</c> of the same flattened grid, once the output's gradient is laid on that grid (zero on the
/// padding): ∂L/∂W[:, :, r, c] = Gᵀ·X shifted by <c>r·Wp + c</c> rows, a product of two matrices read in place, with no
/// unfolded copy. On the CPU, oneDNN's own weight gradient took 80 ms for PixelCNN's 64 → 64 channels (a masked 3×3
/// kernel's two open rows) over 64 images of 28×28 where the products took 62, and its input gradient 58 where the
/// transposed convolution took 45 (docs/benchmarks.md).
/// </remarks>
internal sealed class PaddedConvolutionFunction : ConvolutionFunction<PaddedConvolutionFunction>
{
    public override string Name => nameof(PaddedConvolutionFunction);

    /// <summary>
    /// x: the padded input <c>[N, I, Hp, Wp]</c>; the weight <c>[O, I, kh, kw]</c>. Given the open columns of each
    /// kernel row, the convolution runs on <see cref="WindowConvolution"/> where it takes the call: the open taps only.
    /// </summary>
    protected override (Tensor Output, Tensor Saved) Convolve(Tensor padded, Tensor weight, Tensor? bias, int[]? columns)
    {
        Tensor y;
        using (no_grad())
        {
            if (columns is not null && WindowKernel.Takes(padded, weight, bias))
            {
                long images = padded.size(0), outputs = weight.size(0);
                long height = padded.size(2) - weight.size(2) + 1, width = padded.size(3) - weight.size(3) + 1;
                // A channels-last tensor of its own, not a view of one made here: the graph forbids changing such a view
                // in place, and the residual sums after this layer add into it.
                y = empty_strided([images, outputs, height, width], [height * width * outputs, 1, width * outputs, outputs], ScalarType.Float32);
                WindowKernel.Convolve(padded.permute(0, 2, 3, 1), WindowKernel.Matrix(weight, columns), bias, height, width, columns,
                    into: y.permute(0, 2, 3, 1));
            }
            else y = MemoryLayout.ChannelsLast(nn.functional.conv2d(padded, weight, bias));
        }
        return (y, padded);
    }

    protected override (Tensor? Input, Tensor Weight, Tensor? Bias) Gradients(Tensor padded, Tensor weight, Tensor gradOutput, bool inputGrad, bool hasBias,
        int[]? columns)
    {
        Tensor? gradInput = inputGrad ? InputGradient(weight.detach(), gradOutput, columns) : null;
        Tensor gradWeight = WeightGradient(padded.detach(), gradOutput, TensorSizes.Of(weight), columns);
        return (gradInput, gradWeight, hasBias ? gradOutput.sum([0, 2, 3]) : null);
    }

    /// <summary>
    /// ∂L/∂x of the padded input <c>[N, I, H + kh − 1, W + kw − 1]</c>: the output's gradient bordered by
    /// <c>kh − 1</c> rows and <c>kw − 1</c> columns on every side and convolved by the flipped kernel, on
    /// <see cref="WindowConvolution"/> over the open taps where it takes the call (PixelCNN's 3×3 type-B layer: 27 ms
    /// by libtorch's transposed convolution, 12 ms here, on one thread); libtorch's transposed convolution otherwise.
    /// </summary>
    private static Tensor InputGradient(Tensor weight, Tensor gradOutput, int[]? columns)
    {
        long inputs = weight.size(1);
        int kh = (int)weight.size(2), kw = (int)weight.size(3);
        if (columns is null || !WindowKernel.Takes(gradOutput, weight.transpose(0, 1)))
            return ChannelsLastConvolution.ConvTranspose2d(gradOutput, weight);
        Tensor bordered = nn.functional.pad(gradOutput.permute(0, 2, 3, 1), [0, 0, kw - 1, kw - 1, kh - 1, kh - 1]);
        long height = gradOutput.size(2) + kh - 1, width = gradOutput.size(3) + kw - 1;
        return WindowKernel.Convolve(bordered, WindowKernel.FlippedMatrix(weight, columns), null, height, width,
            WindowKernel.FlippedColumns(columns), firstColumns: WindowKernel.FlippedFirstColumns(columns, kw)).view(-1, height, width, inputs)
            .permute(0, 3, 1, 2);
    }

    /// <summary>
    /// ∂L/∂W <c>[O, I, kh, kw]</c> from the padded input and the output's gradient, one product per tap; zero at the
    /// taps outside <paramref name="columns"/> (closed by the mask: their gradient is multiplied by zero).
    /// </summary>
    internal static Tensor WeightGradient(Tensor padded, Tensor gradOutput, long[] weightShape, int[]? columns = null)
    {
        long outputs = weightShape[0], inputs = weightShape[1], kh = weightShape[2], kw = weightShape[3];
        long images = padded.size(0), height = padded.size(2), width = padded.size(3), pixels = images * height * width;
        Tensor x = padded.permute(0, 2, 3, 1).contiguous().view(pixels, inputs);
        // The output's gradient on the padded grid: each output pixel where its kernel's first tap reads, zero below
        // and right of the last. A 1×1 kernel's grid is the output's own: no copy (a pad by nothing copies the map).
        Tensor gradRows = gradOutput.permute(0, 2, 3, 1);
        Tensor g = (kh == 1 && kw == 1 ? gradRows : nn.functional.pad(gradRows, [0, 0, 0, kw - 1, 0, kh - 1])).contiguous().view(pixels, outputs);
        Tensor grad = empty([kh, kw, outputs, inputs], gradOutput.dtype, gradOutput.device);
        for (long r = 0; r < kh; r++)
        for (long c = 0; c < kw; c++)
        {
            if (columns is not null && c >= columns[r])
            {
                grad[r, c].zero_();
                continue;
            }
            long shift = r * width + c, rows = pixels - shift;
            // The last rows of the grid are padding, where g is zero: dropping `shift` of them loses nothing.
            grad[r, c].copy_(mm(g.narrow(0, 0, rows).t(), x.narrow(0, shift, rows)));
        }
        return grad.permute(2, 3, 0, 1).contiguous();
    }
}
