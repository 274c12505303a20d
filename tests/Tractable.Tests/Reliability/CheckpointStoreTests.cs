using Tractable.IO;
using Tractable.Models;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.Reliability;

/// <summary>Checkpoints survive kills between their renames, verify their files, and keep the objective's randomness.</summary>
public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string run = Directory.CreateTempSubdirectory("tractable-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(run, recursive: true);

    private static (DensityModel Model, TorchSharp.Modules.OptimizerHelper Optimizer) Trained(int steps)
    {
        DensityModel model = new RealNvpConfig { Features = 2, HiddenFeatures = 8, Couplings = 2 }.Build();
        var optimizer = optim.AdamW(model.parameters(), 1e-2);
        using var g = new Generator(3);
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (-model.LogProb(randn([16, 2], generator: g)).mean()).backward();
            optimizer.step();
        }
        return (model, optimizer);
    }

    private static void AssertSameWeights(DensityModel a, DensityModel b)
    {
        foreach (var (name, t) in a.state_dict()) Assert.True(t.eq(b.state_dict()[name]).all().item<bool>(), name);
    }

    private string File(string name) => Path.Combine(run, CheckpointStore.FolderName, name);

    [Fact]
    public void ASavedCheckpointLoadsIntoAFreshModel()
    {
        var store = new CheckpointStore(run);
        (DensityModel model, var optimizer) = Trained(3);
        store.Save(model, optimizer, new TrainingState { Step = 3 });
        (DensityModel fresh, var freshOptimizer) = Trained(0);
        Assert.Equal(3, store.Load(fresh, freshOptimizer).Step);
        AssertSameWeights(model, fresh);
        Assert.True(System.IO.File.Exists(File("manifest.json")));
        Assert.Empty(Directory.GetDirectories(run, "*.tmp"));
    }

    [Theory]
    [InlineData("optimizer.bin", "SHA-256 differs")]
    [InlineData("model.bin", "SHA-256 differs")]
    [InlineData("state.json", "SHA-256 differs")]
    public void AFlippedByteIsNamedBeforeAnythingIsLoaded(string file, string message)
    {
        var store = new CheckpointStore(run);
        (DensityModel model, var optimizer) = Trained(2);
        store.Save(model, optimizer, new TrainingState { Step = 2 });
        byte[] bytes = System.IO.File.ReadAllBytes(File(file));
        bytes[bytes.Length / 2] ^= 0x10;
        System.IO.File.WriteAllBytes(File(file), bytes);
        (DensityModel fresh, var freshOptimizer) = Trained(0);
        var e = Assert.Throws<CorruptFileException>(() => store.Load(fresh, freshOptimizer));
        Assert.Equal(File(file), e.FilePath);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ATruncatedFileIsNamedWithItsLength()
    {
        var store = new CheckpointStore(run);
        (DensityModel model, var optimizer) = Trained(2);
        store.Save(model, optimizer, new TrainingState { Step = 2 });
        byte[] bytes = System.IO.File.ReadAllBytes(File("optimizer.bin"));
        System.IO.File.WriteAllBytes(File("optimizer.bin"), bytes[..100]);
        var e = Assert.Throws<CorruptFileException>(() => store.Load(model, optimizer));
        Assert.Contains($"100 bytes, but manifest.json recorded {bytes.Length}", e.Message);
    }

    [Fact]
    public void WithoutAManifestDamagedFilesAreStillCleanErrors()
    {
        var store = new CheckpointStore(run);
        (DensityModel model, var optimizer) = Trained(2);
        store.Save(model, optimizer, new TrainingState { Step = 2 });
        System.IO.File.Delete(File("manifest.json"));                              // as a checkpoint of an older version
        byte[] bytes = System.IO.File.ReadAllBytes(File("optimizer.bin"));
        System.IO.File.WriteAllBytes(File("optimizer.bin"), bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<CorruptFileException>(() => store.Load(model, optimizer));
        Assert.Equal(File("optimizer.bin"), e.FilePath);
        System.IO.File.WriteAllBytes(File("model.bin"), [1, 2, 3]);
        Assert.Equal(File("model.bin"), Assert.Throws<CorruptFileException>(() => store.Load(model, optimizer)).FilePath);
    }

    [Fact]
    public void AKillBetweenTheRenamesLeavesThePreviousCheckpointToResumeFrom()
    {
        var store = new CheckpointStore(run);
        (DensityModel model, var optimizer) = Trained(2);
        store.Save(model, optimizer, new TrainingState { Step = 2 });
        // The state a kill leaves after "checkpoint → checkpoint.previous" and before "temporary → checkpoint".
        Directory.Move(store.Directory, store.PreviousDirectory);
        Directory.CreateDirectory(Path.Combine(run, $"checkpoint.{Guid.NewGuid():N}.tmp"));
        Assert.True(store.Exists);
        Assert.Equal(2, store.SavedStep());
        store.RemoveTemporaryFolders();
        Assert.Empty(Directory.GetDirectories(run, "*.tmp"));

        (DensityModel later, var laterOptimizer) = Trained(4);
        store.Save(later, laterOptimizer, new TrainingState { Step = 4 });
        Assert.False(Directory.Exists(store.PreviousDirectory));
        Assert.Equal(4, store.SavedStep());
        (DensityModel fresh, var freshOptimizer) = Trained(0);
        store.Load(fresh, freshOptimizer);
        AssertSameWeights(later, fresh);
    }

    [Fact]
    public void OnlyTemporaryFoldersOfTheStoreAreRemoved()
    {
        var store = new CheckpointStore(run);
        string leftover = Path.Combine(run, $"checkpoint.{Guid.NewGuid():N}.tmp");
        string userFolder = Path.Combine(run, "checkpoint.notes.tmp");
        Directory.CreateDirectory(leftover);
        Directory.CreateDirectory(userFolder);
        store.RemoveTemporaryFolders();
        Assert.False(Directory.Exists(leftover));
        Assert.True(Directory.Exists(userFolder));
    }

    [Fact]
    public void TheObjectivesRandomnessIsSavedAndRestored()
    {
        var store = new CheckpointStore(run);
        (DensityModel model, var optimizer) = Trained(1);
        using var randomness = new TrainingRandomness(seed: 7);
        using (randomness.Activate()) global::Tractable.Runtime.NoiseSource.Uniform(zeros(100)).Dispose();       // advance the stream
        store.Save(model, optimizer, new TrainingState { Step = 1 }, randomness: randomness);
        Tensor expected = rand([50], generator: randomness.Generator);

        using var restored = new TrainingRandomness(seed: 99);
        Assert.True(store.LoadRandomness(restored));
        Assert.True(expected.eq(rand([50], generator: restored.Generator)).all().item<bool>());

        System.IO.File.WriteAllBytes(File("randomness.bin"), [1, 2, 3]);
        var e = Assert.Throws<CorruptFileException>(() => new CheckpointStore(run).LoadRandomness(restored));
        Assert.Equal(File("randomness.bin"), e.FilePath);
        System.IO.File.Delete(File("manifest.json"));
        Assert.Contains("not a generator state", Assert.Throws<CorruptFileException>(() => new CheckpointStore(run).LoadRandomness(restored)).Message);
    }
}
