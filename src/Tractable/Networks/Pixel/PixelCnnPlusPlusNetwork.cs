using TorchSharp;
using TorchSharp.Modules;
using Tractable.Networks.Pixel.Incremental;
using static TorchSharp.torch;

namespace Tractable.Networks.Pixel;

/// <summary>
/// The PixelCNN++ network (Salimans et al. 2017, arXiv:1701.05517, §2.3–2.4, Figure 2; openai/pixel-cnn
/// <c>model_spec</c>): a down-shifted stream <c>u</c> (rows above) and a down-right-shifted stream <c>ul</c> (rows above
/// and pixels to the left), each through three resolutions (×1, ×½, ×¼) of gated ResNet blocks on the way down
/// (stride-2 shifted convolutions) and back up (shifted transposed convolutions), with shortcut connections from every
/// block of the first pass to the matching block of the second. <c>[B, C, H, W]</c> scaled to <c>[−1, 1]</c> →
/// <c>[B, P, H, W]</c>; <c>H</c> and <c>W</c> must be multiples of 4.
/// </summary>
public sealed class PixelCnnPlusPlusNetwork : nn.Module<Tensor, Tensor>
{
    private const int Resolutions = 3;
    private readonly MaskedConv2d uInit;
    private readonly MaskedConv2d ulInitAbove;
    private readonly MaskedConv2d ulInitLeft;
    private readonly ModuleList<GatedResidualBlock> upU = new();
    private readonly ModuleList<GatedResidualBlock> upUl = new();
    private readonly ModuleList<MaskedConv2d> downsizeU = new();
    private readonly ModuleList<MaskedConv2d> downsizeUl = new();
    private readonly ModuleList<GatedResidualBlock> downU = new();
    private readonly ModuleList<GatedResidualBlock> downUl = new();
    private readonly ModuleList<ShiftedConvTranspose2d> upsizeU = new();
    private readonly ModuleList<ShiftedConvTranspose2d> upsizeUl = new();
    private readonly Conv2d output;
    private readonly int blocksPerResolution;
    private readonly long inChannels;
    private readonly long filters;
    private readonly long outChannels;

    /// <summary>Builds the network.</summary>
    /// <param name="colours">Image channels.</param>
    /// <param name="filters">Channels of both streams.</param>
    /// <param name="blocksPerResolution">Gated ResNet blocks per resolution (the paper's <c>nr_resnet</c>).</param>
    /// <param name="outChannels">Likelihood parameters per pixel.</param>
    /// <param name="dropout">Dropout in every block.</param>
    public PixelCnnPlusPlusNetwork(int colours, long filters, int blocksPerResolution, long outChannels, double dropout)
        : base(nameof(PixelCnnPlusPlusNetwork))
    {
        this.blocksPerResolution = blocksPerResolution;
        this.filters = filters;
        this.outChannels = outChannels;
        inChannels = colours + 1;   // + a channel of ones, so the padding zeros mark the image border
        uInit = ShiftedConvolutions.Down(inChannels, filters, 2, 3);
        ulInitAbove = ShiftedConvolutions.Down(inChannels, filters, 1, 3);
        ulInitLeft = ShiftedConvolutions.DownRight(inChannels, filters, 2, 1);
        MaskedConv2d DownConv(long i, long o) => ShiftedConvolutions.Down(i, o, 2, 3);
        MaskedConv2d DownRightConv(long i, long o) => ShiftedConvolutions.DownRight(i, o, 2, 2);
        for (int r = 0; r < Resolutions; r++)
        {
            for (int b = 0; b < blocksPerResolution; b++)
            {
                upU.Add(new GatedResidualBlock(filters, DownConv, 0, dropout));
                upUl.Add(new GatedResidualBlock(filters, DownRightConv, filters, dropout));
            }
            if (r < Resolutions - 1)
            {
                downsizeU.Add(ShiftedConvolutions.Down(filters, filters, 2, 3, stride: 2));
                downsizeUl.Add(ShiftedConvolutions.DownRight(filters, filters, 2, 2, stride: 2));
            }
        }
        for (int r = 0; r < Resolutions; r++)
        {
            int blocks = blocksPerResolution + (r == 0 ? 0 : 1);
            for (int b = 0; b < blocks; b++)
            {
                downU.Add(new GatedResidualBlock(filters, DownConv, filters, dropout));
                downUl.Add(new GatedResidualBlock(filters, DownRightConv, 2 * filters, dropout));
            }
            if (r < Resolutions - 1)
            {
                upsizeU.Add(new ShiftedConvTranspose2d(filters, filters, rightShifted: false));
                upsizeUl.Add(new ShiftedConvTranspose2d(filters, filters, rightShifted: true));
            }
        }
        output = nn.Conv2d(filters, outChannels, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (x.size(2) % 4 != 0 || x.size(3) % 4 != 0)
            throw new ArgumentException($"PixelCNN++ needs image sides that are multiples of 4, got {x.size(2)}×{x.size(3)}.");
        return Apply(TensorAlgebra.Instance, WithBorderChannel(x));
    }

    /// <summary>
    /// The network unrolled into maps cached for fast sampling of <paramref name="height"/> × <paramref name="width"/>
    /// images; <paramref name="scale"/> maps raw pixels to the network's input range.
    /// </summary>
    public CachedGraph CreateCache(int height, int width, Func<Tensor, Tensor> scale)
    {
        if (height % 4 != 0 || width % 4 != 0)
            throw new ArgumentException($"PixelCNN++ needs image sides that are multiples of 4, got {height}×{width}.");
        var graph = new CachedGraph(new ImageMap(inChannels, height, width, x => WithBorderChannel(scale(x))));
        graph.Output = Apply(new CachedAlgebra(graph), graph.Image);
        return graph;
    }

    /// <summary>Appends a channel of ones, so that the padding zeros mark the image border.</summary>
    private static Tensor WithBorderChannel(Tensor x) => cat([x, ones_like(x.narrow(1, 0, 1))], 1);

    /// <summary>The network's structure, written once for every <see cref="IStreamAlgebra{T}"/>.</summary>
    private T Apply<T>(IStreamAlgebra<T> ops, T input) where T : class
    {
        var us = new Stack<T>();
        var uls = new Stack<T>();
        us.Push(ops.Shift(ops.Conv(uInit, input), 1, 0));
        uls.Push(ops.Pointwise(v => v[0] + v[1], filters,
            ops.Shift(ops.Conv(ulInitAbove, input), 1, 0), ops.Shift(ops.Conv(ulInitLeft, input), 0, 1)));

        int block = 0;
        for (int r = 0; r < Resolutions; r++)
        {
            for (int b = 0; b < blocksPerResolution; b++, block++)
            {
                T u = upU[block].Apply(ops, us.Peek());
                uls.Push(upUl[block].Apply(ops, uls.Peek(), u));
                us.Push(u);
            }
            if (r < Resolutions - 1)
            {
                us.Push(ops.Conv(downsizeU[r], us.Peek()));
                uls.Push(ops.Conv(downsizeUl[r], uls.Peek()));
            }
        }

        T uDown = us.Pop(), ulDown = uls.Pop();
        block = 0;
        for (int r = 0; r < Resolutions; r++)
        {
            int blocks = blocksPerResolution + (r == 0 ? 0 : 1);
            for (int b = 0; b < blocks; b++, block++)
            {
                uDown = downU[block].Apply(ops, uDown, us.Pop());
                ulDown = downUl[block].Apply(ops, ulDown, ops.Pointwise(v => cat(v, 1), 2 * filters, uDown, uls.Pop()));
            }
            if (r < Resolutions - 1)
            {
                uDown = ops.Upsize(upsizeU[r], uDown);
                ulDown = ops.Upsize(upsizeUl[r], ulDown);
            }
        }
        return ops.Pointwise(v => output.forward(nn.functional.elu(v[0], 1.0)), outChannels, ulDown);
    }
}
