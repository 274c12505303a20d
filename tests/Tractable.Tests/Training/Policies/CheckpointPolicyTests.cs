using Tractable.Models;
using Tractable.Training;
using Tractable.Training.Policies;
using TorchSharp;
using static Tractable.Tests.Training.Policies.SmallModels;
using static TorchSharp.torch;

namespace Tractable.Tests.Training.Policies;

public sealed class CheckpointPolicyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-checkpoint-policy-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static float[] Averaged(nn.Module model, ParameterAverage average)
    {
        using (average.Apply()) return Weights(model);
    }

    [Fact]
    public void SavesEveryIntervalAndWhenTheRunEnds()
    {
        var policy = new CheckpointPolicy(new CheckpointStore(folder), every: 25);
        Assert.Equal([25, 50, 75], Enumerable.Range(1, 80).Where(s => policy.IsDue(s, ending: false)).ToArray());
        Assert.True(policy.IsDue(33, ending: true));

        var atEndOnly = new CheckpointPolicy(new CheckpointStore(folder), every: 0);
        Assert.DoesNotContain(Enumerable.Range(1, 100), s => atEndOnly.IsDue(s, ending: false));
        Assert.True(atEndOnly.IsDue(7, ending: true));
    }

    [Fact]
    public void ARunWithoutADirectoryNeverSavesAndCannotRestore()
    {
        var policy = new CheckpointPolicy(null, every: 1);
        Assert.False(policy.IsDue(1, ending: true));
        Assert.False(policy.CanRestore);
        using DensityModel model = Flow();
        Assert.Throws<FileNotFoundException>(() => policy.Restore(model, optim.AdamW(model.parameters()), null));
    }

    [Fact]
    public void RestoreBringsBackTheWeightsTheStateAndTheAverage()
    {
        var policy = new CheckpointPolicy(new CheckpointStore(folder), every: 10);
        Assert.False(policy.CanRestore);
        using DensityModel model = Flow();
        var optimizer = optim.AdamW(model.parameters());
        using var average = new ParameterAverage(model, 0.9);
        for (int i = 0; i < 3; i++)
        {
            Shift(model, 0.1);
            average.Update();
        }
        float[] saved = Weights(model);
        float[] savedAverage = Averaged(model, average);
        policy.Save(model, optimizer, new TrainingState { Step = 7, SkippedSteps = 2 }, average);
        Assert.True(policy.CanRestore);

        Shift(model, 1.0);
        average.Update();
        TrainingState state = policy.Restore(model, optimizer, average);
        Assert.Equal(7, state.Step);
        Assert.Equal(2, state.SkippedSteps);
        Assert.Equal(saved, Weights(model));
        Assert.Equal(3, average.Updates);
        Assert.Equal(savedAverage, Averaged(model, average));
    }

    [Fact]
    public void ACheckpointWithoutAnAverageStartsTheAverageAtTheRestoredWeights()
    {
        var policy = new CheckpointPolicy(new CheckpointStore(folder), every: 10);
        using DensityModel model = Flow();
        var optimizer = optim.AdamW(model.parameters());
        policy.Save(model, optimizer, new TrainingState { Step = 5 }, average: null);
        float[] saved = Weights(model);

        using var average = new ParameterAverage(model, 0.9);
        Shift(model, 1.0);
        average.Update();
        policy.Restore(model, optimizer, average);
        Assert.Equal(0, average.Updates);
        Assert.Equal(saved, Averaged(model, average));
    }
}
