using static TorchSharp.torch;

namespace Tractable.Transforms.Preprocessing;

/// <summary>
/// The fixed affine map <c>y = a·x + b</c> applied to every element, <c>log|det J| = D·log|a|</c>: e.g. dequantized
/// 8-bit pixels in [0, 256) to [0, 1) with <c>a = 1/256</c>, or to [−0.5, 0.5) with <c>b = −0.5</c> as well.
/// </summary>
public sealed class Rescale : Bijector
{
    private readonly double scale;
    private readonly double shift;

    /// <summary>The map <c>y = scale·x + shift</c>.</summary>
    public Rescale(double scale, double shift = 0) : base(nameof(Rescale))
    {
        if (scale == 0) throw new ArgumentException("A rescaling needs a non-zero scale.", nameof(scale));
        this.scale = scale;
        this.shift = shift;
        RegisterComponents();
    }

    private Tensor LogDet(Tensor x, double sign) =>
        full(x.size(0), sign * ElementsPerExample(x) * Math.Log(Math.Abs(scale)), dtype: x.dtype, device: x.device);

    private static long ElementsPerExample(Tensor x) => x.numel() / x.size(0);

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) => (x * scale + shift, LogDet(x, 1));

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) => ((y - shift) / scale, LogDet(y, -1));
}
