using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Incremental;

/// <summary>
/// A function of other maps at the same position, each optionally read <c>Down</c> rows up and <c>Right</c> columns
/// left (the shifts of PixelCNN++, whose zero fill is the maps' zero border).
/// </summary>
public sealed class PointwiseMap : CachedMap
{
    private readonly Func<Tensor[], Tensor> function;
    private readonly (CachedMap Map, int Down, int Right)[] inputs;

    /// <summary>The map <paramref name="function"/>(<paramref name="inputs"/>) of <paramref name="channels"/> channels.</summary>
    public PointwiseMap(Func<Tensor[], Tensor> function, long channels, params (CachedMap Map, int Down, int Right)[] inputs)
        : base(channels, inputs[0].Map.Height, inputs[0].Map.Width)
    {
        if (inputs.Any(i => i.Map.Height != Height || i.Map.Width != Width))
            throw new ArgumentException("Pointwise inputs must have the same size.");
        if (inputs.Any(i => i.Down < 0 || i.Right < 0 || i.Down > Margin || i.Right > Margin))
            throw new ArgumentException($"Shifts must lie in 0..{Margin}.");
        this.function = function;
        this.inputs = inputs;
        Plan();
    }

    /// <inheritdoc />
    protected override int ReadyFromInputs(int row, int col) =>
        inputs.Max(i => i.Map.ReadyAt(row - i.Down, col - i.Right));

    /// <inheritdoc />
    protected override Tensor Compute(int row, int col, int count) =>
        function(inputs.Select(i => i.Map.Window(row - i.Down, 1, col - i.Right, count)).ToArray());
}
