using static TorchSharp.torch;
using Mpi = MPI.Unsafe;

namespace Tractable.Distributed;

/// <summary>
/// The ranks of an MPI job (<c>MPI_COMM_WORLD</c>), through MPI.NET over MPICH. Buffers go to MPI by their address, with no
/// copy; a failed call ends the job, MPI's default for errors.
/// </summary>
public sealed class MpiCollective : ICollective, IDisposable
{
    /// <summary>MPICH's (and Microsoft MPI's) <c>MPI_IN_PLACE</c>: the address −1.</summary>
    private static readonly IntPtr InPlace = new(-1);

    private readonly MPI.Environment environment;

    /// <summary>Initializes MPI (the library must be loaded: <see cref="MpiRuntime.Load"/>).</summary>
    internal MpiCollective()
    {
        string[] args = [];
        // Serialized: only one thread at a time calls MPI (the training loop's); libtorch's threads never do.
        environment = new MPI.Environment(ref args, MPI.Threading.Serialized);
        Rank = MPI.Communicator.world.Rank;
        Size = MPI.Communicator.world.Size;
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <inheritdoc />
    public unsafe void SumInPlace(Tensor buffer)
    {
        int type = buffer.dtype switch
        {
            ScalarType.Float32 => Mpi.MPI_FLOAT,
            ScalarType.Float64 => Mpi.MPI_DOUBLE,
            ScalarType.Int64 => Mpi.MPI_LONG_LONG,
            _ => throw new ArgumentException($"Sums over ranks take float32, float64 or int64 buffers, not {buffer.dtype}.", nameof(buffer)),
        };
        int count = checked((int)buffer.numel());
        fixed (byte* data = buffer.bytes)
            Check(Mpi.MPI_Allreduce(InPlace, (IntPtr)data, count, type, Mpi.MPI_SUM, Mpi.MPI_COMM_WORLD), "MPI_Allreduce");
    }

    /// <inheritdoc />
    public unsafe void BroadcastInPlace(Tensor buffer)
    {
        Span<byte> bytes = buffer.bytes;
        fixed (byte* data = bytes)
            Check(Mpi.MPI_Bcast((IntPtr)data, bytes.Length, Mpi.MPI_BYTE, 0, Mpi.MPI_COMM_WORLD), "MPI_Bcast");
    }

    /// <inheritdoc />
    public void Abort(int exitCode) => MPI.Environment.Abort(exitCode);

    /// <summary>Finalizes MPI: every rank calls it once, after its last collective operation.</summary>
    public void Dispose() => environment.Dispose();

    private static void Check(int code, string call)
    {
        if (code != Mpi.MPI_SUCCESS) throw new IOException($"{call} failed with MPI error {code}.");
    }
}
