using Tractable.Models;
using Tractable.Transforms.Preprocessing;
using static TorchSharp.torch;

namespace Tractable.Distributed;

/// <summary>
/// Keeps the default random generator of every rank where a single process's would be, so that the noise a model
/// draws inside <c>LogProb</c> (the uniform noise of <see cref="Dequantize"/>) is, for every example, the draw one process
/// makes for it.
/// </summary>
/// <remarks>
/// On the CPU, libtorch draws uniform floats one after another from its Mersenne Twister, one per element in row-major
/// order, so the noise of rows <c>[a, b)</c> of a batch is draws <c>[a·D, b·D)</c> of the stream (D draws per example).
/// A rank that scores rows <c>[a, b)</c> of <c>n</c> therefore skips <c>a·D</c> draws before and <c>(n − b)·D</c> after,
/// and every rank's generator stays where one process's is. CUDA's generator counts draws differently: there the ranks
/// draw distinct noise of the same distribution, not one process's.
/// </remarks>
public static class RandomLockstep
{
    private const long Chunk = 1 << 20;

    /// <summary>The uniform draws <paramref name="model"/> makes per example in <c>LogProb</c>: one per dimension for each <see cref="Dequantize"/>.</summary>
    public static long DrawsPerExample(DensityModel model) =>
        model.modules().OfType<Dequantize>().Count() * model.Config.EventShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Advances the default generator of <paramref name="device"/> by <paramref name="draws"/> float draws.</summary>
    public static void Skip(long draws, Device device)
    {
        using var scope = NewDisposeScope();
        for (long left = draws; left > 0; left -= Chunk)
            rand([Math.Min(left, Chunk)], float32, device);
    }

    /// <summary>
    /// Runs <paramref name="score"/> on this rank's <paramref name="shard"/> of rows of <paramref name="model"/>'s input,
    /// with the default generator advanced past the other ranks' rows before and after.
    /// </summary>
    public static T OnShard<T>(DensityModel model, BatchShard shard, Device device, Func<T> score)
    {
        long draws = DrawsPerExample(model);
        Skip(shard.Start * draws, device);
        T result = score();
        Skip(shard.After * draws, device);
        return result;
    }
}
