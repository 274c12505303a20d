using Tractable.Runtime;

namespace Tractable.Tests.Runtime;

public sealed class OpenMpSpinWaitTests
{
    [Fact]
    public void LibgompSeesTheShortSpinUnlessTheUserChoseOne()
    {
        if (!OperatingSystem.IsLinux()) return;
        Tractable.Runtime.NativeBackend.EnsureLoaded();
        string? user = Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");
        if (user is not null || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
        {
            Assert.Equal(user, OpenMpSpinWait.NativeValue("GOMP_SPINCOUNT"));       // the user's choice is kept
            Assert.False(OpenMpSpinWait.Shorten());
            return;
        }
        Assert.Equal(OpenMpSpinWait.SpinCount.ToString(), OpenMpSpinWait.NativeValue("GOMP_SPINCOUNT"));
    }
}
