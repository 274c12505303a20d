using Tractable.Runtime;

namespace Tractable.Tests.Runtime;

/// <summary>
/// The heap statistics the trimming timer reads (glibc's <c>mallinfo2</c>) come through, and glibc takes the settings that
/// keep freed pages between passes.
/// </summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void FreeBytesAreReadOnLinux()
    {
        if (!OperatingSystem.IsLinux()) return;
        long? free = NativeHeap.FreeBytes();
        Assert.NotNull(free);
        Assert.InRange(free.Value, 0, 1L << 40);
        Assert.True(NativeHeap.Trim());
    }

    [Fact]
    public void GlibcTakesTheSettingsThatKeepPagesBetweenPasses()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.") == true)
        {
            Assert.False(NativeHeap.KeepFreedPagesBetweenPasses(), "a malloc tunable set by the user is left alone");
            return;
        }
        Assert.True(NativeHeap.KeepFreedPagesBetweenPasses());
    }
}
