using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// Swaps the directions of a bijector. IAF is the inverse of MAF: one autoregressive transform, two uses
/// (Kingma et al. 2016, arXiv:1606.04934; Papamakarios et al. 2017, arXiv:1705.07057).
/// </summary>
public sealed class InverseBijector : Bijector
{
    private readonly Bijector inner;

    /// <summary>Wraps <paramref name="inner"/> so that its inverse becomes this bijector's forward.</summary>
    public InverseBijector(Bijector inner) : base(nameof(InverseBijector))
    {
        this.inner = inner;
        RegisterComponents();
    }

    /// <summary>The wrapped bijector.</summary>
    public Bijector Inner => inner;

    /// <inheritdoc />
    public override BijectorDirections Directions =>
        (inner.Directions.HasFlag(BijectorDirections.Forward) ? BijectorDirections.Inverse : 0)
        | (inner.Directions.HasFlag(BijectorDirections.Inverse) ? BijectorDirections.Forward : 0);

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) => inner.Inverse(x, context);

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) => inner.Forward(y, context);
}
