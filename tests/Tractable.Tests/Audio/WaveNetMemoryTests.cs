using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Audio;

/// <summary>Generation runs each step in a dispose scope: the number of live tensors stays flat over the loop.</summary>
[Collection(Support.Sequential.Name)]
public sealed class WaveNetMemoryTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LiveTensorCountStaysFlatDuringGeneration(bool fast)
    {
        WaveNet model = WaveNetCausalityTests.Small(globalClasses: 2);
        Tensor global = model.ContextFromLabels(tensor(new long[] { 1 }))!;
        using var g = new Generator(1);
        var live = new List<long>();
        using Tensor x = model.Generate(1, 768, fast, g, global: global,
            progress: _ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        Assert.Equal(3, live.Count);                                                 // every 256 samples
        Assert.All(live, n => Assert.Equal(live[0], n));
    }
}
