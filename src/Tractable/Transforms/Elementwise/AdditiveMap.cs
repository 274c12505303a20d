using static TorchSharp.torch;

namespace Tractable.Transforms.Elementwise;

/// <summary>
/// The additive map <c>y = x + t</c> with unit Jacobian (NICE, Dinh et al. 2014, arXiv:1410.8516, eq. 5).
/// </summary>
public sealed class AdditiveMap : ElementwiseMap
{
    /// <inheritdoc />
    public override int ParametersPerElement => 1;

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor parameters) => (x + parameters, zeros_like(x));

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor parameters) => (y - parameters, zeros_like(y));
}
