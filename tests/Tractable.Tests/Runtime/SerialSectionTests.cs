using Tractable.Models;
using Tractable.Runtime;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Runtime;

/// <summary>
/// A serial section holds libtorch at one thread and puts the count back, and WaveNet's naive generation of a few
/// sequences, which runs in one, leaves the count as it found it. libtorch's count is process-wide: these tests run alone.
/// </summary>
[Collection(Sequential.Name)]
public sealed class SerialSectionTests
{
    [Fact]
    public void HoldsOneThreadAndPutsTheCountBack()
    {
        LibTorchThreads.OnThreads(2, () =>
        {
            using (SerialSection.Enter()) Assert.Equal(1, get_num_threads());
            Assert.Equal(2, get_num_threads());
            return 0;
        });
        LibTorchThreads.OnThreads(1, () =>
        {
            using (SerialSection.Enter()) Assert.Equal(1, get_num_threads());
            Assert.Equal(1, get_num_threads());
            return 0;
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(WaveNet.SerialNaiveBatchLimit + 1)]
    public void NaiveGenerationLeavesTheThreadCountAsItWas(int batch)
    {
        var model = (WaveNet)new WaveNetConfig { Stacks = 1, MaxDilation = 4, ResidualChannels = 8, SkipChannels = 8 }.Build();
        int threads = LibTorchThreads.OnThreads(2, () =>
        {
            using var g = new Generator(3);
            Tensor samples = model.Generate(batch, 20, fast: false, g);
            Assert.Equal([batch, 20L], samples.shape);
            return get_num_threads();
        });
        Assert.Equal(2, threads);
    }
}
