using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Networks.Pixel;

/// <summary>
/// PixelCNN++'s gated ResNet block (Salimans et al. 2017, arXiv:1701.05517, §2.4; openai/pixel-cnn <c>gated_resnet</c>):
/// <c>c = conv(concat_elu(x)) [+ nin(concat_elu(a))]</c>, <c>c = conv(dropout(concat_elu(c)))</c>, <c>[p, q] = c</c>,
/// <c>y = x + p ⊙ σ(q)</c>, where <c>conv</c> is a shifted convolution and <c>a</c> an optional shortcut input.
/// </summary>
public sealed class GatedResidualBlock : nn.Module
{
    private readonly MaskedConv2d input;
    private readonly Conv2d? shortcut;
    private readonly SeededDropout dropout;
    private readonly MaskedConv2d output;

    /// <summary>Builds a block.</summary>
    /// <param name="filters">Channels of the stream.</param>
    /// <param name="conv">Makes the shifted convolution (in, out) of the stream.</param>
    /// <param name="shortcutChannels">Channels of the shortcut input <c>a</c> (0: none).</param>
    /// <param name="dropout">Dropout probability before the second convolution.</param>
    public GatedResidualBlock(long filters, Func<long, long, MaskedConv2d> conv, long shortcutChannels, double dropout)
        : base(nameof(GatedResidualBlock))
    {
        input = conv(2 * filters, filters);
        if (shortcutChannels > 0) shortcut = nn.Conv2d(2 * shortcutChannels, filters, 1);
        this.dropout = new SeededDropout(dropout);
        output = conv(2 * filters, 2 * filters);
        RegisterComponents();
    }

    /// <summary>Applies the block to the stream <paramref name="x"/> with the shortcut <paramref name="a"/>.</summary>
    public Tensor Forward(Tensor x, Tensor? a = null) => Apply(TensorAlgebra.Instance, x, a);

    /// <summary>The block in any <see cref="IStreamAlgebra{T}"/>: whole maps, or maps cached for sampling.</summary>
    public T Apply<T>(IStreamAlgebra<T> ops, T x, T? a = null) where T : class
    {
        long filters = input.OutChannels;
        T c = ops.Conv(input, ops.Pointwise(v => GatedActivation.ConcatElu(v[0]), 2 * filters, x));
        if (shortcut is not null)
            c = ops.Pointwise(v => v[0] + shortcut.forward(GatedActivation.ConcatElu(v[1])), filters,
                c, a ?? throw new ArgumentException("This block needs its shortcut input."));
        c = ops.Conv(output, ops.Pointwise(v => dropout.forward(GatedActivation.ConcatElu(v[0])), 2 * filters, c));
        return ops.Pointwise(v =>
        {
            Tensor[] pq = TensorSizes.Chunk(v[1], 2, 1);
            return v[0] + pq[0] * pq[1].sigmoid();
        }, filters, x, c);
    }
}
