using Tractable.Runtime;

namespace Tractable.Tests.Runtime;

/// <summary>The managed kernels' parts on libtorch's OpenMP team: each part once, on several threads, failures rethrown.</summary>
public sealed class OpenMpTeamTests
{
    [Fact]
    public void TheTeamOfTheLoadedLibtorchIsFound()
    {
        // The tests load libtorch from their own runtimes folder, which holds its libgomp on Linux.
        if (OperatingSystem.IsLinux()) Assert.True(OpenMpTeam.Available);
    }

    [Fact]
    public void TheLoadedLibtorchIsFoundInTheProcessMapsToo()
    {
        // The way an application that never called NativeBackend.EnsureLoaded finds the team.
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(Path.GetFullPath(NativeBackend.Folder!), Path.GetFullPath(OpenMpTeam.LoadedTorchFolder()!));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void EveryPartRunsOnce(int parts)
    {
        var runs = new int[parts];
        var threads = new HashSet<int>();
        OpenMpTeam.For(parts, part =>
        {
            Interlocked.Increment(ref runs[part]);
            lock (threads) threads.Add(Environment.CurrentManagedThreadId);
        });
        Assert.All(runs, count => Assert.Equal(1, count));
        if (parts > 1) Assert.True(threads.Count > 1, "the parts all ran on one thread");
    }

    [Fact]
    public void AFailingPartIsRethrownToTheCaller()
    {
        var done = new bool[4];
        var e = Assert.Throws<InvalidOperationException>(() => OpenMpTeam.For(4, part =>
        {
            if (part == 2) throw new InvalidOperationException("part 2");
            done[part] = true;
        }));
        Assert.Equal("part 2", e.Message);
        Assert.True(done[0] && done[1] && done[3]);
    }
}
