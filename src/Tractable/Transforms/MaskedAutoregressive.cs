using Tractable.Networks;
using Tractable.Transforms.Elementwise;
using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// An autoregressive transform <c>y_i = f(x_i; θ_i(x_&lt;i, context))</c> with θ from a <see cref="Made"/>
/// (MAF, Papamakarios et al. 2017, arXiv:1705.07057, eq. 3–4). The Jacobian is triangular in MADE's order, so
/// <c>log|det J| = Σ_i log|f'(x_i)|</c>.
/// </summary>
/// <remarks>
/// <para>Forward (data to noise) is one network pass: MAF's density. Inverse is D sequential steps: step k fixes the
/// feature of degree k, because its parameters depend only on features of lower degree, which are already exact
/// (MAF §3.1); each step computes only the hidden units of its degree (<see cref="MadeDegreeSweep"/>), so the D
/// steps together do the arithmetic of one pass. IAF (Kingma et al. 2016, arXiv:1606.04934) is this class wrapped in
/// <see cref="InverseBijector"/>: sampling becomes the one-pass direction and density the D-step one. The loop
/// exists only here.</para>
/// <para>Vectors <c>[B, D]</c>; the context, when the MADE is conditional, is <c>[B, C]</c>.</para>
/// </remarks>
public sealed class MaskedAutoregressive : Bijector
{
    private readonly Made conditioner;
    private readonly ElementwiseMap map;

    /// <summary>An autoregressive layer: <paramref name="conditioner"/> must produce <c>map.ParametersPerElement</c> blocks.</summary>
    public MaskedAutoregressive(Made conditioner, ElementwiseMap map) : base(nameof(MaskedAutoregressive))
    {
        this.conditioner = conditioner;
        this.map = map;
        RegisterComponents();
    }

    /// <summary>The MADE that produces the element-wise map's parameters.</summary>
    public Made Conditioner => conditioner;

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        (Tensor y, Tensor ld) = map.Forward(x, conditioner.Forward(x, context));
        return (y, SumPerExample(ld));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null)
    {
        // One feature at a time in degree order, each reading only the hidden units already fixed: the D passes of
        // MAF §3.1 with every unit computed once (MadeDegreeSweep). A dispose scope per feature keeps the memory of a
        // long sweep (D = 784) flat; disposing a handle keeps autograd's graph intact.
        using var sweep = new MadeDegreeSweep(conditioner, context, y.size(0));
        var x = new Tensor[conditioner.Features];
        var ld = new Tensor[conditioner.Features];
        foreach (int feature in sweep.FeaturesInDegreeOrder)
        {
            using var scope = NewDisposeScope();
            (x[feature], ld[feature]) = map.Inverse(y.narrow(1, feature, 1), sweep.ParametersOf(feature));
            sweep.Reveal(x[feature]);
            scope.MoveToOuter(x[feature], ld[feature]);
        }
        return (cat(x, 1), SumPerExample(cat(ld, 1)));
    }

    /// <summary>
    /// The inverse by D full passes of the network (after pass k every feature of degree ≤ k is exact): the
    /// definition that <see cref="Inverse"/> computes with less work, kept as its reference.
    /// </summary>
    internal (Tensor x, Tensor logAbsDet) InverseByPasses(Tensor y, Tensor? context = null)
    {
        Tensor x = zeros_like(y), ld = zeros_like(y);
        for (int pass = 0; pass < conditioner.Features; pass++)
        {
            Tensor previousX = x, previousLd = ld;
            using (var scope = NewDisposeScope())
            {
                (x, ld) = map.Inverse(y, conditioner.Forward(previousX, context));
                scope.MoveToOuter(x, ld);
            }
            previousX.Dispose();
            previousLd.Dispose();
        }
        return (x, SumPerExample(ld));
    }
}
