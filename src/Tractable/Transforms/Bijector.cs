using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>Which directions of a bijector can be computed in closed form.</summary>
[Flags]
public enum BijectorDirections
{
    /// <summary>Data to noise (<see cref="Bijector.Forward"/>).</summary>
    Forward = 1,
    /// <summary>Noise to data (<see cref="Bijector.Inverse"/>).</summary>
    Inverse = 2,
    /// <summary>Both directions.</summary>
    Both = Forward | Inverse,
}

/// <summary>
/// An invertible map with a tractable Jacobian determinant. <b>Forward is data to noise</b>
/// (as in nflows and zuko), so a flow's density is one forward pass and sampling is one inverse pass.
/// </summary>
/// <remarks>
/// Both directions return the transformed value and <c>log|det J|</c> of the map that was applied,
/// with shape <c>[B]</c>; thus <c>logdet_forward(x) + logdet_inverse(forward(x)) = 0</c>.
/// A bijector whose direction has no closed form (planar, radial) declares it through
/// <see cref="Directions"/> and throws <see cref="DirectionNotAvailableException"/> when asked.
/// </remarks>
public abstract class Bijector : nn.Module
{
    /// <summary>Creates a bijector; <paramref name="name"/> names the module in state dicts.</summary>
    protected Bijector(string name) : base(name) { }

    /// <summary>The directions this bijector computes; the default is both.</summary>
    public virtual BijectorDirections Directions => BijectorDirections.Both;

    /// <summary>Maps data <paramref name="x"/> to noise; returns <c>(y, log|det dy/dx|)</c> with log-det shape <c>[B]</c>.</summary>
    public abstract (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null);

    /// <summary>Maps noise <paramref name="y"/> to data; returns <c>(x, log|det dx/dy|)</c> with log-det shape <c>[B]</c>.</summary>
    public abstract (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null);

    /// <summary>Sums all but the batch dimension: the log-det of an element-wise map.</summary>
    protected static Tensor SumPerExample(Tensor elementwise) =>
        elementwise.dim() switch { 1 => elementwise, 2 => elementwise.sum(1), _ => elementwise.flatten(1).sum(1) };
}

/// <summary>Thrown when a bijector is asked for a direction it cannot compute in closed form.</summary>
public sealed class DirectionNotAvailableException(string message) : InvalidOperationException(message);
