namespace Tractable.Distributed;

/// <summary>
/// The processes this one trains with: MPI's world when an MPI launcher started several, else this process alone
/// (<see cref="SingleProcess"/>, the default, which touches no MPI library).
/// </summary>
public static class ProcessGroup
{
    /// <summary>The current group; <see cref="SingleProcess"/> until <see cref="JoinFromEnvironment"/> or <see cref="Join"/> joins MPI.</summary>
    public static ICollective Current { get; private set; } = SingleProcess.Instance;

    /// <summary>
    /// Joins the MPI job when an MPICH launcher (<c>mpirun.mpich -np N</c>, N &gt; 1) started this process or
    /// <see cref="MpiRuntime.RequestVariable"/><c>=1</c> asks for MPI; otherwise stays a single process and loads no MPI
    /// library. A process started by Open MPI's launcher is refused with <see cref="MpiUnavailableException"/>.
    /// </summary>
    public static ICollective JoinFromEnvironment()
    {
        if (Current is MpiCollective) return Current;
        if (MpiRuntime.LaunchedByOpenMpi || MpiRuntime.Requested || MpiRuntime.LaunchedSize() > 1) return Join();
        return Current;
    }

    /// <summary>
    /// Joins MPI now (a process started without a launcher becomes a job of one); throws
    /// <see cref="MpiUnavailableException"/> when no MPICH library is installed.
    /// </summary>
    public static ICollective Join()
    {
        if (Current is MpiCollective) return Current;
        MpiRuntime.Load();
        Current = new MpiCollective();
        return Current;
    }

    /// <summary>
    /// Leaves the job at the end of the process and returns the exit code: after success MPI is finalized; after a
    /// failure (<paramref name="exitCode"/> ≠ 0) every rank of the job is ended with that code, so that none waits for
    /// this one.
    /// </summary>
    public static int Leave(int exitCode)
    {
        if (Current is not MpiCollective mpi) return exitCode;
        if (exitCode != 0) mpi.Abort(exitCode);
        mpi.Dispose();
        Current = SingleProcess.Instance;
        return exitCode;
    }
}
