using static TorchSharp.torch;
using Tractable.Runtime;

namespace Tractable.Distributed;

/// <summary>
/// Tensors packed into flat CPU buffers of at most <c>bucketBytes</c> each (one element type per buffer), so that a
/// collective operation runs once per bucket rather than once per tensor, as PyTorch's DistributedDataParallel
/// buckets gradients (25 MB by default). The buffers are allocated once and reused.
/// </summary>
public sealed class FlatBuckets : IDisposable
{
    /// <summary>PyTorch DistributedDataParallel's default bucket size, 25 MB.</summary>
    public const long DefaultBucketBytes = 25L << 20;

    private readonly List<Bucket> buckets = [];

    /// <summary>Buckets for tensors shaped and typed as <paramref name="layout"/>, in that order.</summary>
    public FlatBuckets(IReadOnlyList<Tensor> layout, long bucketBytes = DefaultBucketBytes)
    {
        if (bucketBytes < 1) throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes, "A bucket holds at least one byte.");
        var slots = new List<Slot>();
        ScalarType? type = null;
        long offset = 0, bytes = 0;
        for (int i = 0; i < layout.Count; i++)
        {
            Tensor t = layout[i];
            long size = t.numel() * t.ElementSize;
            if (slots.Count > 0 && (t.dtype != type || bytes + size > bucketBytes))
            {
                buckets.Add(new Bucket(Buffer(offset, type!.Value), slots));
                slots = [];
                offset = bytes = 0;
            }
            type = t.dtype;
            slots.Add(new Slot(i, offset, t.numel()));
            offset += t.numel();
            bytes += size;
        }
        if (slots.Count > 0) buckets.Add(new Bucket(Buffer(offset, type!.Value), slots));
    }

    /// <summary>The number of buckets.</summary>
    public int Count => buckets.Count;

    /// <summary>The bytes of every bucket, in order.</summary>
    public IEnumerable<long> Bytes => buckets.Select(b => b.Buffer.numel() * b.Buffer.ElementSize);

    /// <summary>
    /// Copies <paramref name="tensors"/> (laid out as the constructor's, on any device; a null one counts as zeros) into
    /// the buckets, runs <paramref name="operation"/> on each bucket, and copies the result back (null ones excepted).
    /// </summary>
    public void Run(IReadOnlyList<Tensor?> tensors, Action<Tensor> operation)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (Bucket bucket in buckets)
        {
            foreach (Slot slot in bucket.Slots)
            {
                Tensor part = bucket.Buffer.narrow(0, slot.Offset, slot.Count);
                if (tensors[slot.Index] is { } t) part.copy_(t.reshape(-1));
                else part.zero_();
            }
            operation(bucket.Buffer);
            foreach (Slot slot in bucket.Slots)
                if (tensors[slot.Index] is { } t)
                    t.copy_(bucket.Buffer.narrow(0, slot.Offset, slot.Count).view(TensorSizes.Of(t)));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Bucket bucket in buckets) bucket.Buffer.Dispose();
        buckets.Clear();
    }

    /// <summary>A buffer that lives as long as the buckets, whatever dispose scope is open when they are made (a training step's).</summary>
    private static Tensor Buffer(long elements, ScalarType type) => empty(elements, type).DetachFromDisposeScope();

    private sealed record Slot(int Index, long Offset, long Count);

    private sealed record Bucket(Tensor Buffer, List<Slot> Slots);
}
