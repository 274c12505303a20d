namespace Tractable.Distributed;

/// <summary>
/// MPI was asked for but cannot be used on this machine: no MPICH library, or a launcher of another MPI. An
/// <see cref="IOException"/>, so that front ends report it as a problem of the machine, not of the program.
/// </summary>
public sealed class MpiUnavailableException(string message) : IOException(message);
