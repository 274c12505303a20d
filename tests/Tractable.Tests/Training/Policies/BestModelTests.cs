using Tractable.Models;
using Tractable.Training.Policies;
using static Tractable.Tests.Training.Policies.SmallModels;

namespace Tractable.Tests.Training.Policies;

public sealed class BestModelTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-best-model-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void TheKeptWeightsAreRestoredAndSaved()
    {
        using DensityModel model = Flow();
        using var best = new BestModel(folder);
        Assert.False(best.RestoreInto(model));
        best.Keep(model);
        float[] kept = Weights(model);
        Shift(model, 0.5);
        Assert.NotEqual(kept, Weights(model));

        Assert.True(best.RestoreInto(model));
        Assert.Equal(kept, Weights(model));
        using DensityModel saved = ModelStore.Load(folder);
        Assert.Equal(kept, Weights(saved));
    }

    [Fact]
    public void AResumedRunStartsFromTheSavedBest()
    {
        using DensityModel model = Flow();
        using (var first = new BestModel(folder)) first.Keep(model);
        float[] kept = Weights(model);
        Shift(model, 0.5);

        using var resumed = new BestModel(folder);
        resumed.LoadSaved();
        Assert.True(resumed.Exists);
        Assert.True(resumed.RestoreInto(model));
        Assert.Equal(kept, Weights(model));
    }

    [Fact]
    public void WithoutADirectoryTheBestIsKeptInMemoryOnly()
    {
        using DensityModel model = Flow();
        using var best = new BestModel(null);
        best.LoadSaved();
        Assert.False(best.Exists);
        best.Keep(model);
        Assert.True(best.Exists);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }
}
