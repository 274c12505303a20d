using Tractable.Runtime;

namespace Tractable.Tests.Runtime;

/// <summary>
/// The heap statistics the trimming timer reads (glibc's <c>mallinfo2</c>) come through, the timer's rule trims only
/// idle memory or a heap past its budget, and glibc takes the settings that keep freed pages between passes.
/// </summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void FreeBytesAreReadOnLinux()
    {
        if (!OperatingSystem.IsLinux()) return;
        long? heap = NativeHeap.HeapBytes();
        Assert.NotNull(heap);
        Assert.InRange(heap.Value, 1, 1L << 40);
        long? free = NativeHeap.FreeBytes();
        Assert.NotNull(free);
        Assert.InRange(free.Value, 0, 1L << 40);
        Assert.True(NativeHeap.Trim());
    }

    [Theory]
    [InlineData(1L << 30, 900L << 20, false)]            // a pass's freed maps, under the budget: kept for the next pass
    [InlineData(3L << 30, 2L << 30, false)]              // at the budget, exactly at the free bound: kept
    [InlineData(2900L << 20, (2L << 30) + 1, true)]      // more free than TrimAbove: trimmed whatever the heap's size
    [InlineData((3L << 30) + 1, 300L << 20, true)]       // past the budget with more than LeastTrimmed free
    [InlineData(5L << 30, 200L << 20, false)]            // past the budget but little free: nothing worth a trim
    public void TrimsOnlyIdleMemoryOrAHeapPastItsBudget(long heap, long free, bool trimmed) =>
        Assert.Equal(trimmed, NativeHeap.ShouldTrim(heap, free));

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
