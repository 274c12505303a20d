using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Incremental;

/// <summary>The algebra of cached maps: each operation appends the map it makes to <see cref="Graph"/>.</summary>
public sealed class CachedAlgebra(CachedGraph graph) : IStreamAlgebra<CachedMap>
{
    /// <summary>The graph being built.</summary>
    public CachedGraph Graph { get; } = graph;

    /// <inheritdoc />
    public CachedMap Conv(MaskedConv2d conv, CachedMap x) => Graph.Add(new ConvMap(conv, x));

    /// <inheritdoc />
    public CachedMap Upsize(ShiftedConvTranspose2d upsize, CachedMap x) => Graph.Add(new TransposedConvMap(upsize, x));

    /// <inheritdoc />
    public CachedMap Shift(CachedMap x, int down, int right) => Graph.Add(new PointwiseMap(v => v[0], x.Channels, (x, down, right)));

    /// <inheritdoc />
    public CachedMap Pointwise(Func<Tensor[], Tensor> function, long channels, params CachedMap[] inputs) =>
        Graph.Add(new PointwiseMap(function, channels, inputs.Select(m => (m, 0, 0)).ToArray()));
}
