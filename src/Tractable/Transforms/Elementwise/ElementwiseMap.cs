using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Transforms.Elementwise;

/// <summary>
/// An invertible element-wise map whose parameters come from a conditioner network. Coupling and
/// autoregressive layers differ only in the conditioner and the mask; they share these maps.
/// </summary>
/// <remarks>
/// Parameters arrive as one tensor with <see cref="ParametersPerElement"/> blocks stacked along dimension 1,
/// each block the shape of the input (<c>[B, D]</c> for vectors, <c>[B, C, H, W]</c> for images).
/// The log-det is returned element-wise (the shape of the input); callers mask and sum it.
/// </remarks>
public abstract class ElementwiseMap
{
    /// <summary>How many parameters the conditioner must produce per transformed element.</summary>
    public abstract int ParametersPerElement { get; }

    /// <summary>Applies the map (data to noise); returns the output and the element-wise log|dy/dx|.</summary>
    public abstract (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor parameters);

    /// <summary>Undoes the map; returns the input and the element-wise log|dx/dy|.</summary>
    public abstract (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor parameters);

    /// <summary>
    /// A masked coupling <c>m ⊙ x + (1 − m) ⊙ map(x)</c> (or its inverse) with its log-determinant summed per example,
    /// computed in one pass where the map has one for these tensors (<see cref="MaskedCoupling"/> asks first); null
    /// otherwise.
    /// </summary>
    internal virtual (Tensor Output, Tensor LogAbsDet)? MaskedPass(Tensor x, Tensor parameters, Tensor mask, bool inverse) => null;

    /// <summary>Splits the stacked parameters into their blocks.</summary>
    protected Tensor[] Split(Tensor parameters) => TensorSizes.Chunk(parameters, ParametersPerElement, 1);

    /// <summary>Creates the map <paramref name="map"/>; an affine map bounds its scale by <paramref name="bound"/>.</summary>
    public static ElementwiseMap Create(CouplingMap map, ScaleBound bound = ScaleBound.Tanh) => map switch
    {
        CouplingMap.Affine => new AffineMap(bound),
        CouplingMap.Additive => new AdditiveMap(),
        _ => throw new ArgumentOutOfRangeException(nameof(map), map, "Not a coupling map."),
    };
}
