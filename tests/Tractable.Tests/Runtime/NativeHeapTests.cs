using Tractable.Runtime;

namespace Tractable.Tests.Runtime;

/// <summary>The heap statistics the trimming timer reads (glibc's <c>mallinfo2</c>) come through.</summary>
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
}
