using static TorchSharp.torch;

namespace Tractable.Networks.Pixel.Incremental;

/// <summary>
/// One feature map of a network, kept for a whole sampling run and filled position by position (Ramachandran et al.
/// 2017, arXiv:1704.06001, §3: cache every layer's activations and compute only what a new pixel makes computable).
/// <see cref="Ready"/> holds, for every position, the sampling step (raster index of the pixel being drawn) from which
/// everything the position reads is final; the position is computed exactly once, at that step. The map is stored
/// with a zero border of <see cref="Margin"/> positions, which stands for the zero padding of the layers that read it.
/// </summary>
public abstract class CachedMap : IDisposable
{
    /// <summary>Zero border on every side: at least the padding of any kernel that reads a map.</summary>
    public const int Margin = 2;

    private readonly Dictionary<int, List<(int Row, int Col, int Count)>> runs = [];
    private Tensor? values;

    /// <summary>A map of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>.</summary>
    protected CachedMap(long channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Ready = new int[height, width];
    }

    /// <summary>Channels.</summary>
    public long Channels { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>The step at which each position is computed.</summary>
    public int[,] Ready { get; }

    /// <summary>The step of <c>(row, col)</c>; 0 outside the map, whose zeros are final from the start.</summary>
    public int ReadyAt(int row, int col) =>
        row >= 0 && row < Height && col >= 0 && col < Width ? Ready[row, col] : 0;

    /// <summary>The step of <c>(row, col)</c> from the steps of the positions of the inputs it reads.</summary>
    protected abstract int ReadyFromInputs(int row, int col);

    /// <summary>The values <c>[B, C, 1, count]</c> of <paramref name="count"/> positions of <paramref name="row"/> from <paramref name="col"/> on.</summary>
    protected abstract Tensor Compute(int row, int col, int count);

    /// <summary>
    /// Fills <see cref="Ready"/> and groups the positions of each step into runs of adjacent columns, each computed by
    /// one call. Derived constructors call it last, once their inputs are set.
    /// </summary>
    protected void Plan()
    {
        for (int r = 0; r < Height; r++)
        for (int c = 0; c < Width; c++)
        {
            int step = Ready[r, c] = ReadyFromInputs(r, c);
            if (!runs.TryGetValue(step, out var list)) runs[step] = list = [];
            if (list.Count > 0 && list[^1] is var last && last.Row == r && last.Col + last.Count == c)
                list[^1] = last with { Count = last.Count + 1 };
            else
                list.Add((r, c, 1));
        }
    }

    /// <summary>Makes the all-zero storage for a batch of <paramref name="batch"/>.</summary>
    public void Allocate(long batch, ScalarType dtype, Device device)
    {
        values?.Dispose();
        values = zeros([batch, Channels, Height + 2 * Margin, Width + 2 * Margin], dtype, device).DetachFromDisposeScope();
    }

    /// <summary>
    /// A view of <paramref name="rows"/> × <paramref name="cols"/> positions from <c>(row, col)</c>, which may reach up
    /// to <see cref="Margin"/> positions outside the map (zeros).
    /// </summary>
    public Tensor Window(int row, int rows, int col, int cols) =>
        (values ?? throw new InvalidOperationException("Allocate the map before sampling."))
        .narrow(2, row + Margin, rows).narrow(3, col + Margin, cols);

    /// <summary>Computes and stores every position whose step is <paramref name="step"/>.</summary>
    public void Advance(int step)
    {
        if (!runs.TryGetValue(step, out var list)) return;
        foreach (var (row, col, count) in list) Window(row, 1, col, count).copy_(Compute(row, col, count));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        values?.Dispose();
        values = null;
        GC.SuppressFinalize(this);
    }
}
