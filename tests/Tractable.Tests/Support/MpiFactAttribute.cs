namespace Tractable.Tests.Support;

/// <summary>
/// A test that launches an MPI job: it runs where MPICH's launcher <c>mpirun.mpich</c> is installed (CI installs it)
/// and is reported skipped elsewhere.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    /// <summary>Skipped unless <see cref="ChildProcess.MpiLauncher"/> is on the PATH.</summary>
    public MpiFactAttribute()
    {
        if (ChildProcess.Find(ChildProcess.MpiLauncher) is null)
            Skip = $"{ChildProcess.MpiLauncher} not found: install MPICH (apt-get install mpich) to run the MPI tests.";
    }
}
