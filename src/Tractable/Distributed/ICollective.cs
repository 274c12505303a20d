using static TorchSharp.torch;

namespace Tractable.Distributed;

/// <summary>
/// The processes that train one model together (the ranks of an MPI job), and the two collective operations
/// data-parallel training needs: the sum of a buffer over all ranks (gradients, evaluation sums) and the copy of rank 0's
/// buffer to every rank (the weights at the start). As with any MPI collective, every rank makes the same calls in the
/// same order.
/// </summary>
public interface ICollective
{
    /// <summary>This process's rank, 0 … <see cref="Size"/> − 1.</summary>
    int Rank { get; }

    /// <summary>The number of processes.</summary>
    int Size { get; }

    /// <summary>Whether this is rank 0, the one that writes files and shows progress.</summary>
    bool IsRoot => Rank == 0;

    /// <summary>
    /// Replaces <paramref name="buffer"/> (contiguous, on the CPU, float32, float64 or int64) on every rank with its
    /// element-wise sum over all ranks.
    /// </summary>
    void SumInPlace(Tensor buffer);

    /// <summary>Replaces <paramref name="buffer"/> (contiguous, on the CPU, any type) on every rank with rank 0's.</summary>
    void BroadcastInPlace(Tensor buffer);

    /// <summary>
    /// Ends every process of the job with <paramref name="exitCode"/>: after a failure on one rank, which the others
    /// would otherwise wait for in their next collective call. Does not return.
    /// </summary>
    void Abort(int exitCode);
}
