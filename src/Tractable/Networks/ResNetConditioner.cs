using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Networks;

/// <summary>
/// The small ResNet that computes RealNVP's scale and shift for images (arXiv:1605.08803, §4.1): conv 3×3 in,
/// residual blocks (ReLU → conv 3×3 → ReLU → conv 3×3, plus the input), zero-initialized conv 3×3 out. Any context
/// is ignored.
/// </summary>
public sealed class ResNetConditioner : ConditionerNetwork
{
    private readonly Conv2d input;
    private readonly ModuleList<Sequential> blocks;
    private readonly ZeroConv2d output;

    /// <summary>A ResNet with <paramref name="blocks"/> residual blocks of <paramref name="hidden"/> channels.</summary>
    public ResNetConditioner(long inChannels, long outChannels, long hidden, int blocks) : base(nameof(ResNetConditioner))
    {
        input = nn.Conv2d(inChannels, hidden, 3, padding: 1);
        this.blocks = nn.ModuleList(Enumerable.Range(0, blocks).Select(_ => nn.Sequential(
            ("relu1", nn.ReLU()), ("conv1", nn.Conv2d(hidden, hidden, 3, padding: 1)),
            ("relu2", nn.ReLU()), ("conv2", nn.Conv2d(hidden, hidden, 3, padding: 1)))).ToArray());
        output = new ZeroConv2d(hidden, outChannels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x, Tensor? context = null)
    {
        Tensor h = MemoryLayout.ChannelsLast(input.forward(MemoryLayout.ChannelsLast(x)));
        foreach (Sequential block in blocks) h = h + block.forward(h);
        return output.forward(nn.functional.relu(h));
    }
}
