using Tractable.Networks;
using Tractable.Transforms.Elementwise;
using static TorchSharp.torch;
using Tractable.Runtime;

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
/// (<see cref="ElementwiseMap.MaskedPass"/>: the affine map of vectors on the CPU). Where the mask keeps the first
/// channels of an image and the conditioner can read them alone (<see cref="ConditionerNetwork.ForwardFromPrefix"/>),
/// only those channels are read and only the parameters of the others computed, as a split coupling does: the same
/// values to float rounding, with the multiplications by the masked zeros and of the unused parameters skipped (the
/// map reads its parameters as <see cref="ElementwiseMap.ParametersPerElement"/> blocks of the input's channels).
/// </remarks>
public sealed class MaskedCoupling : Bijector
{
    private readonly Tensor mask;
    private readonly Tensor?[] complement = new Tensor?[1];     // 1 − mask, made on first use: not a registered buffer
    private readonly ConditionerNetwork conditioner;
    private readonly ElementwiseMap map;
    private readonly ChannelPrefix?[] prefix = new ChannelPrefix?[1];   // what the mask keeps, read on first use

    /// <summary>Whether the kept channels are read alone where they can be, on the calling thread; off only to compare.</summary>
    internal static bool PrefixEnabled
    {
        get => !prefixDisabled;
        set => prefixDisabled = !value;
    }

    [ThreadStatic] private static bool prefixDisabled;

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
        if (ReadPrefix(x, context) is { } split)
        {
            (Tensor mapped, Tensor mappedLogDet) = map.Forward(split.Transformed, split.Parameters);
            return (cat([split.Kept, mapped], 1), SumPerExample(mappedLogDet));
        }
        Tensor kept = x * mask, parameters = conditioner.Forward(kept, context);
        if (map.MaskedPass(x, parameters, mask, inverse: false) is { } pass) return pass;
        (Tensor y, Tensor ld) = map.Forward(x, parameters);
        return (addcmul(kept, Complement, y, 1), SumPerExample(ld * Complement));
    }

    /// <inheritdoc />
    public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null)
    {
        if (ReadPrefix(y, context) is { } split)
        {
            (Tensor mapped, Tensor mappedLogDet) = map.Inverse(split.Transformed, split.Parameters);
            return (cat([split.Kept, mapped], 1), SumPerExample(mappedLogDet));
        }
        Tensor kept = y * mask, parameters = conditioner.Forward(kept, context);
        if (map.MaskedPass(y, parameters, mask, inverse: true) is { } pass) return pass;
        (Tensor x, Tensor ld) = map.Inverse(y, parameters);
        return (addcmul(kept, Complement, x, 1), SumPerExample(ld * Complement));
    }

    /// <summary>
    /// The kept channels, the transformed ones and the map's parameters for these from the kept ones alone, or null
    /// where the mask does not keep a prefix of the channels or the conditioner cannot read one.
    /// </summary>
    private (Tensor Kept, Tensor Transformed, Tensor Parameters)? ReadPrefix(Tensor x, Tensor? context)
    {
        // Checked first, before the mask is looked at: the other conditioners and the vector masks pay nothing.
        if (!PrefixEnabled || !conditioner.ReadsPrefixes || mask.dim() != 3 || x.dim() != 4 || !TensorSizes.Of(x).Skip(1).SequenceEqual(TensorSizes.Of(mask)))
            return null;
        if (Prefix() is not { Channels: { } k, TransformedParameters: { } outputs }) return null;
        Tensor kept = x.narrow(1, 0, k);
        if (conditioner.ForwardFromPrefix(kept, outputs, context) is not { } parameters) return null;
        return (kept, x.narrow(1, k, x.size(1) - k), parameters);
    }

    /// <summary>The number of leading channels the mask keeps where it keeps a prefix of an image's channels, else null.</summary>
    internal long? KeptChannels => mask.dim() == 3 ? Prefix().Channels : null;

    /// <summary>
    /// What the mask keeps, worked out again whenever the mask differs from the one it was read from: a loaded state
    /// dict overwrites the buffer in place, and moving the module changes its device.
    /// </summary>
    private ChannelPrefix Prefix()
    {
        ChannelPrefix? known = prefix[0];
        if (known is not null && known.Mask.device_type == mask.device_type && known.Mask.device_index == mask.device_index &&
            known.Mask.dtype == mask.dtype && Same(known.Mask, mask)) return known;
        using (no_grad())
        {
            Tensor seen = mask.detach().clone().DetachFromDisposeScope();
            long? k = KeptChannelPrefix(mask);
            // The conditioner's output channels that parameterize the transformed channels: in each of the map's
            // ParametersPerElement blocks of C channels (ElementwiseMap reads its parameters as such blocks), those from k on.
            long channels = mask.size(0);
            Tensor? outputs = k is { } kept
                ? tensor(Enumerable.Range(0, map.ParametersPerElement)
                    .SelectMany(block => Enumerable.Range(0, (int)(channels - kept)).Select(c => block * channels + kept + c)).ToArray(),
                    device: mask.device).DetachFromDisposeScope()
                : null;
            known?.Dispose();
            return prefix[0] = new ChannelPrefix(seen, k, outputs);
        }
    }

    private static bool Same(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.eq(b).all().item<bool>();
    }

    /// <summary>A mask as read, the leading channels it keeps (or null) and the parameter channels of the others.</summary>
    private sealed record ChannelPrefix(Tensor Mask, long? Channels, Tensor? TransformedParameters) : IDisposable
    {
        public void Dispose()
        {
            Mask.Dispose();
            TransformedParameters?.Dispose();
        }
    }

    /// <summary>k where <paramref name="mask"/> <c>[C, H, W]</c> is 1 on channels <c>[0, k)</c> and 0 on the others, 0 &lt; k &lt; C; null otherwise.</summary>
    private static long? KeptChannelPrefix(Tensor mask)
    {
        if (mask.dim() != 3 || mask.size(0) < 2) return null;
        using var scope = NewDisposeScope();
        Tensor rows = mask.detach().flatten(1).to(ScalarType.Float64).cpu();
        if (!rows.eq(rows.narrow(1, 0, 1)).all().item<bool>()) return null;         // not constant over each channel
        double[] channel = rows.select(1, 0).data<double>().ToArray();
        int k = 0;
        while (k < channel.Length && channel[k] == 1) k++;
        return k > 0 && k < channel.Length && channel.Skip(k).All(v => v == 0) ? k : null;
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
