using static TorchSharp.torch;

namespace Tractable.Cli.Plotting;

/// <summary>A perceptually ordered colour map (anchors of matplotlib's viridis, linearly interpolated).</summary>
public static class Colormap
{
    private static readonly float[,] Anchors =
    {
        { 0.267f, 0.005f, 0.329f }, { 0.229f, 0.322f, 0.546f }, { 0.128f, 0.567f, 0.551f },
        { 0.370f, 0.789f, 0.383f }, { 0.993f, 0.906f, 0.144f },
    };

    /// <summary>Maps values in [0, 1] of shape <c>[H, W]</c> to an RGB image <c>[3, H, W]</c>.</summary>
    public static Tensor Viridis(Tensor values)
    {
        int n = Anchors.GetLength(0);
        Tensor anchors = tensor(Anchors).to(float32);                         // [n, 3]
        Tensor position = values.to(float32).clamp(0, 1) * (n - 1);
        Tensor lower = position.floor().clamp(0, n - 2).to(int64);
        Tensor fraction = (position - lower.to(float32)).unsqueeze(-1);
        Tensor a = anchors.index_select(0, lower.flatten()).reshape([.. values.shape, 3]);
        Tensor b = anchors.index_select(0, (lower + 1).flatten()).reshape([.. values.shape, 3]);
        return (a + (b - a) * fraction).permute(2, 0, 1);
    }
}
