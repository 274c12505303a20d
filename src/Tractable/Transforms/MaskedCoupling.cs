using Tractable.Networks;
using Tractable.Transforms.Elementwise;
using static TorchSharp.torch;

namespace Tractable.Transforms;

/// <summary>
/// A coupling layer: the elements where <c>mask = 1</c> pass unchanged and condition an element-wise map of the
/// others, <c>y = m⊙x + (1−m)⊙f(x; θ(m⊙x, context))</c> (RealNVP eq. 9; NICE eq. 4). The Jacobian is
/// triangular, so <c>log|det J| = Σ (1−m)⊙log|f'|</c>.
/// </summary>
/// <remarks>
/// The mask is a buffer of the event shape (a vector, or <c>[C, H, W]</c> for images: checkerboard or channel-wise).
/// The conditioner sees the masked input and returns <see cref="ElementwiseMap.ParametersPerElement"/> blocks of
/// the input's shape. Without autograd, a map may blend and sum in one pass over the elements
/// (<see cref="ElementwiseMap.MaskedPass"/>: the affine map of vectors on the CPU).
/// </remarks>
public sealed class MaskedCoupling : Bijector
{
    private readonly Tensor mask;
    private readonly Tensor?[] complement = new Tensor?[1];     // 1 − mask, made on first use: not a registered buffer
    private readonly ConditionerNetwork conditioner;
    private readonly ElementwiseMap map;

    /// <summary>Builds the layer.</summary>
    /// <param name="mask">1 where elements pass through, 0 where they are transformed; the event shape.</param>
    /// <param name="conditioner">Maps the masked input (and the context) to the map's parameters.</param>
    /// <param name="map">The element-wise map applied to the transformed elements.</param>
    public MaskedCoupling(Tensor mask, ConditionerNetwork conditioner, ElementwiseMap map) : base(nameof(MaskedCoupling))
    {
        this.mask = mask.detach().clone();
        this.conditioner = conditioner;
        this.map = map;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null)
    {
        Tensor kept = x * mask, parameters = conditioner.Forward(kept, context);
        if (map.MaskedPass(x, parameters, mask, inverse: false) is { } pass) return pass;
        (Tensor y, Tensor ld) = map.Forward(x, parameters);
        return (addcmul(kept, Complement, y, 1), SumPerExample(ld * Complement));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null)
    {
        Tensor kept = y * mask, parameters = conditioner.Forward(kept, context);
        if (map.MaskedPass(y, parameters, mask, inverse: true) is { } pass) return pass;
        (Tensor x, Tensor ld) = map.Inverse(y, parameters);
        return (addcmul(kept, Complement, x, 1), SumPerExample(ld * Complement));
    }

    /// <summary>1 − mask in the mask's type and device, remade when the module has moved.</summary>
    private Tensor Complement
    {
        get
        {
            Tensor? c = complement[0];
            // By type and index: TorchSharp makes a new Device object per call, so Device objects never compare equal.
            if (c is null || c.dtype != mask.dtype || c.device_type != mask.device_type || c.device_index != mask.device_index)
            {
                c?.Dispose();
                using (no_grad()) c = complement[0] = (1 - mask).DetachFromDisposeScope();
            }
            return c;
        }
    }

    /// <summary>The alternating vector mask <c>[1,0,1,0,…]</c> (or its complement when <paramref name="odd"/>).</summary>
    public static Tensor AlternatingMask(int features, bool odd) =>
        arange(features).remainder(2).eq(odd ? 1 : 0).to(float32);
}
