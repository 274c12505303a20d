using System.Numerics;
using System.Runtime.CompilerServices;
using Tractable.Networks;
using Tractable.Networks.Pixel;
using static TorchSharp.torch;

namespace Tractable.Models.Pixel;

/// <summary>
/// PixelCNN's cached sampling (the same caches and the same function as its tensor sampler) as one fused step per
/// pixel over managed arrays: every layer at one pixel is a few small matrix-vector products
/// (<see cref="FusedMaskedConv2d{T}"/>), which at sampling batches cost less than the native call per tensor operation
/// that the tensor path pays (about sixty per pixel for ten blocks). The step runs on the calling thread: a second
/// thread (<see cref="Parallel"/>) competed with libtorch's own workers, which keep spinning between operations, and
/// sampling at two threads ran slower than at one.
/// </summary>
/// <typeparam name="T">The model's element type.</typeparam>
internal sealed class FusedPixelCnnSampler<T> : PixelSampler where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FusedMaskedConv2d<T> input, hidden, output;
    private readonly (FusedMaskedConv2d<T> Reduce, FusedMaskedConv2d<T> Spatial, FusedMaskedConv2d<T> Expand)[] blocks;
    private readonly T scale;
    private int batch, height, width, colours;
    private T[] image = [];
    private T[][] caches = [];
    private T[] pixel = [];
    private T[] logits = [];
    private Scratch[] scratch = [];

    /// <summary>One image's working vectors.</summary>
    private sealed class Scratch(int wide, int narrow, int head)
    {
        public readonly T[] A = new T[wide], Relu = new T[wide], U = new T[narrow], V = new T[narrow], Hidden = new T[head];
    }

    /// <summary>Copies the weights of PixelCNN's layers (parameters of type <typeparamref name="T"/>, on the CPU).</summary>
    /// <param name="input">The type-A input convolution.</param>
    /// <param name="residualBlocks">The residual blocks in order.</param>
    /// <param name="head">The output head.</param>
    /// <param name="levels">Values per sub-pixel (the input is scaled from <c>0..L−1</c> to <c>[−1, 1]</c>).</param>
    public FusedPixelCnnSampler(MaskedConv2d input, IEnumerable<PixelCnnResidualBlock> residualBlocks, PixelOutputHead head, int levels)
    {
        this.input = new FusedMaskedConv2d<T>(input);
        blocks = residualBlocks.Select(b => (new FusedMaskedConv2d<T>(b.Reduce), new FusedMaskedConv2d<T>(b.Spatial), new FusedMaskedConv2d<T>(b.Expand))).ToArray();
        hidden = new FusedMaskedConv2d<T>(head.Hidden);
        output = new FusedMaskedConv2d<T>(head.Output);
        scale = T.CreateChecked(2.0 / (levels - 1));
    }

    /// <inheritdoc />
    public override void Begin(Tensor x)
    {
        (batch, colours, height, width) = ((int)x.size(0), (int)x.size(1), (int)x.size(2), (int)x.size(3));
        image = new T[batch * input.CacheLength(height, width)];
        caches = blocks.Select(b => new T[batch * b.Spatial.CacheLength(height, width)]).ToArray();
        pixel = new T[batch * colours];
        logits = new T[batch * output.Out];
        scratch = Enumerable.Range(0, batch).Select(_ => new Scratch(input.Out, blocks.Length > 0 ? blocks[0].Spatial.In : 0, hidden.Out)).ToArray();
    }

    /// <inheritdoc />
    public override Tensor ParametersAt(Tensor x, int row, int col)
    {
        // The previous pixel's last colour was drawn after its own last call; the current pixel's earlier colours
        // since the previous call (later colours are still 0 and closed to every output by the colour masks).
        int previous = row * width + col - 1;
        if (previous >= 0) WriteImage(x, previous / width, previous % width);
        WriteImage(x, row, col);
        Step(row, col);
        return typeof(T) == typeof(float)
            ? tensor((float[])(object)logits, [batch, output.Out])
            : tensor((double[])(object)logits, [batch, output.Out], float64);
    }

    /// <summary>Stores pixel <c>(row, col)</c> of every image, scaled, in the image cache.</summary>
    private void WriteImage(Tensor x, int row, int col)
    {
        VectorProducts.ToArray<T>(x.select(3, col).select(2, row)).CopyTo(pixel, 0);            // [B, C]
        int length = input.CacheLength(height, width);
        for (int b = 0; b < batch; b++)
        {
            Span<T> values = pixel.AsSpan(b * colours, colours);
            for (int c = 0; c < colours; c++) values[c] = values[c] * scale - T.One;
            input.Write(image.AsSpan(b * length, length), width, row, col, values);
        }
    }

    /// <summary>The network at pixel <c>(row, col)</c> of every image, the logits into their rows of <see cref="logits"/>.</summary>
    /// <remarks>Convolution by convolution, each over all the images, so that its weights stay in cache.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step(int row, int col)
    {
        int imageLength = input.CacheLength(height, width);
        for (int b = 0; b < batch; b++) input.At(image.AsSpan(b * imageLength, imageLength), width, row, col, scratch[b].A);
        for (int l = 0; l < blocks.Length; l++)
        {
            var (reduce, spatial, expand) = blocks[l];
            int cacheLength = spatial.CacheLength(height, width);
            // x + 1×1(ReLU(k×k(ReLU(1×1(ReLU(x)))))), the k×k input cached; each convolution over all the images.
            for (int b = 0; b < batch; b++)
            {
                Scratch s = scratch[b];
                VectorProducts.Relu<T>(s.A, s.Relu);
                reduce.Pointwise(s.Relu, s.U);
                VectorProducts.Relu<T>(s.U, s.U);
                spatial.Write(caches[l].AsSpan(b * cacheLength, cacheLength), width, row, col, s.U);
            }
            for (int b = 0; b < batch; b++)
            {
                Scratch s = scratch[b];
                spatial.At(caches[l].AsSpan(b * cacheLength, cacheLength), width, row, col, s.V);
                VectorProducts.Relu<T>(s.V, s.V);
            }
            for (int b = 0; b < batch; b++)
            {
                Scratch s = scratch[b];
                expand.Pointwise(s.V, s.Relu);
                VectorProducts.AddTo<T>(s.Relu, s.A);
            }
        }
        for (int b = 0; b < batch; b++)
        {
            Scratch s = scratch[b];
            VectorProducts.Relu<T>(s.A, s.Relu);
            hidden.Pointwise(s.Relu, s.Hidden);
            VectorProducts.Relu<T>(s.Hidden, s.Hidden);
        }
        for (int b = 0; b < batch; b++) output.Pointwise(scratch[b].Hidden, logits.AsSpan(b * output.Out, output.Out));
    }
}
