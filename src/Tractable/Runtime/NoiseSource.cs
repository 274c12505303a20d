using static TorchSharp.torch;

namespace Tractable.Runtime;

/// <summary>
/// The generator that random draws inside a model's forward pass come from: dequantization noise and dropout masks.
/// A training objective sets its <see cref="Training.TrainingRandomness"/> around every loss, and evaluation a
/// generator of fixed seed, so that both are reproducible and a resumed run draws exactly what an uninterrupted one
/// would. Outside any <see cref="Use"/>, draws come from the global generator, as in PyTorch.
/// </summary>
/// <remarks>
/// The source is per thread, like TorchSharp's dispose scopes: a forward pass runs on the thread that set it.
/// Threading a generator through every <c>LogProb</c> would change the signature of every layer for the two that draw.
/// </remarks>
public static class NoiseSource
{
    private const long SkipChunk = 1 << 20;

    [ThreadStatic] private static Generator? current;
    [ThreadStatic] private static RowShare? share;

    /// <summary>The generator in use on this thread, or null for the global one.</summary>
    public static Generator? Current => current;

    /// <summary>Draws from <paramref name="generator"/> on this thread until the returned scope is disposed.</summary>
    public static IDisposable Use(Generator generator)
    {
        Generator? previous = current;
        current = generator;
        return new Scope(() => current = previous);
    }

    /// <summary>
    /// Makes the forward passes on this thread, until the returned scope is disposed, score rows
    /// <c>[start, start + n)</c> of batches of <paramref name="batchRows"/> rows that one process scores whole (a rank's
    /// share of a global batch): every draw is made for all <paramref name="batchRows"/> rows and this share's rows are
    /// kept. Each row thus gets the noise one process gives it, and the generator ends where one process's does, on
    /// any device.
    /// </summary>
    /// <remarks>The first dimension of every draw is the batch: dequantization noise and dropout masks are drawn per example.</remarks>
    public static IDisposable UseRows(long start, long batchRows)
    {
        if (start < 0 || start > batchRows) throw new ArgumentOutOfRangeException(nameof(start), start, $"The share must start in [0, {batchRows}].");
        RowShare? previous = share;
        share = new RowShare(start, batchRows);
        return new Scope(() => share = previous);
    }

    /// <summary>Uniform noise in [0, 1) with the shape, type and device of <paramref name="like"/>, from <see cref="Current"/>.</summary>
    public static Tensor Uniform(Tensor like)
    {
        Generator? g = current;
        Device device = g?.device ?? like.device;
        Tensor u = share is { } rows
            ? rand(rows.WholeShape(like), dtype: like.dtype, device: device, generator: g).narrow(0, rows.Start, like.size(0))
            : rand(TensorSizes.Of(like), dtype: like.dtype, device: device, generator: g);
        return device.type == like.device.type && device.index == like.device.index ? u : u.to(like.device);
    }

    /// <summary>
    /// Draws <paramref name="count"/> uniform values of type <paramref name="dtype"/> from <paramref name="generator"/> and
    /// discards them. On the CPU, where values are drawn one after another, this moves the stream past the noise of
    /// <paramref name="count"/> values.
    /// </summary>
    public static void Skip(Generator generator, long count, ScalarType dtype)
    {
        for (long left = count; left > 0; left -= SkipChunk)
            rand([Math.Min(left, SkipChunk)], dtype: dtype, device: generator.device, generator: generator).Dispose();
    }

    /// <summary>Rows <c>[Start, Start + n)</c> of batches of <c>BatchRows</c>.</summary>
    private readonly record struct RowShare(long Start, long BatchRows)
    {
        public long[] WholeShape(Tensor like)
        {
            if (like.dim() == 0 || Start + like.size(0) > BatchRows)
                throw new InvalidOperationException(
                    $"A draw of shape [{string.Join(", ", like.shape)}] is not rows {Start}.. of a batch of {BatchRows}: noise drawn under a share of rows must be drawn per example.");
            return [BatchRows, .. TensorSizes.Of(like)[1..]];
        }
    }

    private sealed class Scope(Action restore) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            restore();
        }
    }
}
