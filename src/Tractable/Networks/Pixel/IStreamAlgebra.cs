using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// The operations PixelCNN++'s network is made of. Its structure is written once against this interface and runs
/// either on whole feature maps (<see cref="TensorAlgebra"/>: training, evaluation, naive sampling) or on maps filled
/// position by position during sampling (<see cref="Incremental.CachedAlgebra"/>), so the two cannot drift apart.
/// </summary>
/// <typeparam name="T">What a feature map is: a tensor <c>[B, C, H, W]</c> or a cached map.</typeparam>
public interface IStreamAlgebra<T> where T : class
{
    /// <summary>A (shifted, possibly strided) convolution.</summary>
    T Conv(MaskedConv2d conv, T x);

    /// <summary>A causal ×2 upsampling.</summary>
    T Upsize(ShiftedConvTranspose2d upsize, T x);

    /// <summary>Moves the map <paramref name="down"/> rows down and <paramref name="right"/> columns right, filling with zeros.</summary>
    T Shift(T x, int down, int right);

    /// <summary>
    /// A function applied position by position (it may mix channels, never positions) to maps of equal size;
    /// <paramref name="channels"/> is the channel count of its result.
    /// </summary>
    T Pointwise(Func<Tensor[], Tensor> function, long channels, params T[] inputs);
}

/// <summary>The algebra of whole feature maps: each operation is the layer's ordinary forward pass.</summary>
public sealed class TensorAlgebra : IStreamAlgebra<Tensor>
{
    /// <summary>The single instance.</summary>
    public static TensorAlgebra Instance { get; } = new();

    private TensorAlgebra() { }

    /// <inheritdoc />
    public Tensor Conv(MaskedConv2d conv, Tensor x) => conv.forward(x);

    /// <inheritdoc />
    public Tensor Upsize(ShiftedConvTranspose2d upsize, Tensor x) => upsize.forward(x);

    /// <inheritdoc />
    public Tensor Shift(Tensor x, int down, int right)
    {
        for (int i = 0; i < down; i++) x = Shifts.Down(x);
        for (int i = 0; i < right; i++) x = Shifts.Right(x);
        return x;
    }

    /// <inheritdoc />
    public Tensor Pointwise(Func<Tensor[], Tensor> function, long channels, params Tensor[] inputs) => function(inputs);
}
