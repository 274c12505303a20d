using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// The NN() of Glow's affine coupling (arXiv:1807.03039, §3.3): conv 3×3 → ReLU → conv 1×1 → ReLU →
/// zero-initialized conv 3×3, from C to <c>outChannels</c> channels at the same resolution. Any context is ignored.
/// </summary>
public sealed class GlowConditioner : ConditionerNetwork
{
    private readonly Sequential body;

    // The layers called one by one, the 3×3 ones through ThinConvolution. Delegates, not fields of module type, so that
    // each layer is registered once, under body, and the parameter names stay those of the Sequential.
    private readonly Func<Tensor, Tensor>[] layers;

    // The first and last layers, for ForwardFromPrefix; a tuple is not registered as a module.
    private readonly (Conv2d Input, ZeroConv2d Output) ends;

    /// <summary>A conditioner with <paramref name="hidden"/> hidden channels.</summary>
    public GlowConditioner(long inChannels, long outChannels, long hidden) : base(nameof(GlowConditioner))
    {
        Conv2d input = nn.Conv2d(inChannels, hidden, 3, padding: 1), middle = nn.Conv2d(hidden, hidden, 1);
        var output = new ZeroConv2d(hidden, outChannels);
        body = nn.Sequential(("conv_in", input), ("relu_in", nn.ReLU()), ("conv_mid", middle), ("relu_mid", nn.ReLU()),
            ("conv_out", output));
        layers = [h => ThinConvolution.Forward(input, h), Relu, h => PointwiseConvolution.Forward(middle, h), Relu, output.forward];
        ends = (input, output);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, Tensor? context = null) => Run(x, layers);

    /// <inheritdoc />
    public override bool ReadsPrefixes => true;

    /// <inheritdoc />
    /// <remarks>
    /// The input convolution reads the prefix with its weights for those channels only, and the output convolution
    /// computes the channels asked for only: the same values as <see cref="Forward"/> there, to float rounding, with
    /// fewer channels on both thin sides (Glow's masked coupling then costs what its split coupling does).
    /// </remarks>
    public override Tensor? ForwardFromPrefix(Tensor prefix, Tensor outputs, Tensor? context = null)
    {
        (Conv2d input, ZeroConv2d output) = ends;
        if (prefix.dim() != 4 || prefix.size(1) > input.weight!.size(1)) return null;
        Tensor weight = input.weight!.narrow(1, 0, prefix.size(1));
        return Run(prefix,
            [h => ThinConvolution.Forward(input, h, weight, input.bias), layers[1], layers[2], layers[3], h => output.ForwardChannels(h, outputs)]);
    }

    /// <summary>
    /// ReLU of a convolution's output: in place where no gradient is recorded, so that a density or sampling pass
    /// writes no second map of hidden channels; a new map under autograd, as before (in place gained nothing there).
    /// </summary>
    private static Tensor Relu(Tensor h) => InPlaceRelu && !(is_grad_enabled() && h.requires_grad) ? h.relu_() : h.relu();

    /// <summary>Whether <see cref="Relu"/> works in place where it can, on the calling thread; off only to compare.</summary>
    internal static bool InPlaceRelu
    {
        get => !inPlaceReluDisabled;
        set => inPlaceReluDisabled = !value;
    }

    [ThreadStatic] private static bool inPlaceReluDisabled;

    private static Tensor Run(Tensor x, Func<Tensor, Tensor>[] steps)
    {
        // As Sequential does: each intermediate map is released as soon as the next layer has read it (autograd keeps
        // what the backward needs), not at the end of the caller's scope.
        Tensor h = MemoryLayout.ChannelsLast(x);
        foreach (Func<Tensor, Tensor> layer in steps)
        {
            Tensor next = layer(h);
            if (!ReferenceEquals(h, x) && !ReferenceEquals(h, next)) h.Dispose();     // an in-place layer returns its input
            h = next;
        }
        return h;
    }
}
