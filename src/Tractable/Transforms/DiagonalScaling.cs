using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// The diagonal scaling layer that ends NICE: <c>y = x ⊙ exp(s)</c>, <c>log|det J| = Σ s</c>
/// (Dinh et al. 2014, arXiv:1410.8516, §3.3). Starts as the identity.
/// </summary>
public sealed class DiagonalScaling : Bijector
{
    private readonly Parameter logScale;

    /// <summary>A learnable scaling over events of shape <paramref name="eventShape"/>.</summary>
    public DiagonalScaling(params long[] eventShape) : base(nameof(DiagonalScaling))
    {
        logScale = new Parameter(zeros(eventShape));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) =>
        (x * logScale.exp(), logScale.sum().expand(x.size(0)));

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) =>
        (y * (-logScale).exp(), (-logScale.sum()).expand(y.size(0)));
}
