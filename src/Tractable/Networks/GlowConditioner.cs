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

    /// <summary>A conditioner with <paramref name="hidden"/> hidden channels.</summary>
    public GlowConditioner(long inChannels, long outChannels, long hidden) : base(nameof(GlowConditioner))
    {
        body = nn.Sequential(
            ("conv_in", nn.Conv2d(inChannels, hidden, 3, padding: 1)), ("relu_in", nn.ReLU()),
            ("conv_mid", nn.Conv2d(hidden, hidden, 1)), ("relu_mid", nn.ReLU()),
            ("conv_out", new ZeroConv2d(hidden, outChannels)));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, Tensor? context = null) => body.forward(MemoryLayout.ChannelsLast(x));
}
