using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// A 3×3 convolution that starts at zero, with a learned per-channel output scale <c>exp(3·logs)</c>
/// (Glow, arXiv:1807.03039, §3.3: "we initialize the last convolution of each NN() with zeros, such that each affine
/// coupling layer initially performs an identity function").
/// </summary>
public sealed class ZeroConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly Parameter logScale;

    /// <summary>A zero-initialized convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ZeroConv2d(long inChannels, long outChannels) : base(nameof(ZeroConv2d))
    {
        conv = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        using (no_grad())
        {
            conv.weight!.zero_();
            conv.bias!.zero_();
        }
        logScale = new Parameter(zeros(outChannels, 1, 1));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => ThinConvolution.Forward(conv, x) * (logScale * 3).exp();

    /// <summary><see cref="forward"/> at the output channels <paramref name="channels"/> (int64 indices) only.</summary>
    public Tensor ForwardChannels(Tensor x, Tensor channels) =>
        ThinConvolution.Forward(conv, x, conv.weight!.index_select(0, channels), conv.bias!.index_select(0, channels)) *
        (logScale.index_select(0, channels) * 3).exp();
}
