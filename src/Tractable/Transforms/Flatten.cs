using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// Reshapes examples of shape <c>[...EventShape]</c> to vectors <c>[D]</c> (forward) and back (inverse), with zero
/// log-det: lets vector flows such as MAF model images whose model event shape stays the data's, e.g. <c>[1, 28, 28]</c>.
/// </summary>
public sealed class Flatten : Bijector
{
    private readonly long[] eventShape;

    /// <summary>Flattens examples of shape <paramref name="eventShape"/>.</summary>
    public Flatten(long[] eventShape) : base(nameof(Flatten))
    {
        this.eventShape = eventShape.ToArray();
        RegisterComponents();
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        (x.flatten(1), zeros(x.size(0), dtype: x.dtype, device: x.device));

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) =>
        (y.reshape([y.size(0), .. eventShape]), zeros(y.size(0), dtype: y.dtype, device: y.device));
}
