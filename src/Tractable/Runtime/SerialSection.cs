using static TorchSharp.torch;

namespace Tractable.Runtime;

/// <summary>
/// A stretch of work run with libtorch on one thread, its thread count put back on <see cref="Dispose"/>. For work
/// made of many small operations, a second thread only adds hand-offs: each matrix product of a few columns still goes
/// to oneMKL's thread team, which then waits at a barrier. WaveNet's naive generation of one sequence took 41 ms for 32
/// samples on two threads and 26 ms on one, and 10.8 against 5.7 s for 1,100 samples (docs/benchmarks.md). libtorch's
/// thread count is one setting for the process: work started on other threads meanwhile runs on one thread too.
/// </summary>
internal readonly struct SerialSection : IDisposable
{
    private readonly int previous;

    private SerialSection(int previous) => this.previous = previous;

    /// <summary>Sets libtorch to one thread, where it has more, until the section is disposed.</summary>
    public static SerialSection Enter()
    {
        int threads = get_num_threads();
        if (threads > 1) set_num_threads(1);
        return new SerialSection(threads);
    }

    /// <summary>Puts libtorch's thread count back.</summary>
    public void Dispose()
    {
        if (previous > 1) set_num_threads(previous);
    }
}
