using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Tractable.IO;
using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// A resumable checkpoint: the folder <c>checkpoint/</c> of a run holds the model (<see cref="ModelStore"/>), the
/// optimizer state, <see cref="TrainingState"/>, when the weights are averaged the <see cref="ParameterAverage"/>
/// (<c>average.bin</c>), the state of the objective's <see cref="TrainingRandomness"/> (<c>randomness.bin</c>), and a
/// manifest of every file's length and SHA-256.
/// </summary>
/// <remarks>
/// A checkpoint is written into a temporary folder <c>checkpoint.GUID.tmp</c>, each file and the folder flushed to the
/// disk, then swapped in by renames: the current checkpoint becomes <c>checkpoint.previous</c>, the new one
/// <c>checkpoint</c>, and the previous one is removed. A kill at any moment therefore leaves a complete checkpoint in
/// <c>checkpoint</c> or, between the two renames, in <c>checkpoint.previous</c>, which loading falls back to; a
/// temporary folder it leaves is removed by <see cref="RemoveTemporaryFolders"/>. Loading verifies the manifest
/// first, so that a damaged file is a <see cref="CorruptFileException"/> naming it, never a crash in the middle of a
/// load.
/// </remarks>
public sealed class CheckpointStore(string runDirectory)
{
    private const string StateFile = "state.json";
    private const string OptimizerFile = "optimizer.bin";
    private const string AverageFile = "average.bin";
    private const string RandomnessFile = "randomness.bin";
    private const string ManifestFile = "manifest.json";

    /// <summary>The name of the checkpoint folder in a run folder.</summary>
    public const string FolderName = "checkpoint";

    /// <summary>The checkpoint folder whose manifest was last verified (loading verifies once, not per file).</summary>
    private string? verified;

    /// <summary>The checkpoint folder.</summary>
    public string Directory { get; } = Path.Combine(runDirectory, FolderName);

    /// <summary>The checkpoint before the newest, kept only while a save swaps folders.</summary>
    public string PreviousDirectory => Directory + ".previous";

    /// <summary>Whether a checkpoint exists.</summary>
    public bool Exists => File.Exists(Path.Combine(Directory, StateFile)) || File.Exists(Path.Combine(PreviousDirectory, StateFile));

    /// <summary>The step the checkpoint was saved at.</summary>
    public int SavedStep() => ReadState().Step;

    /// <summary>The training state of the checkpoint (step, training time, skipped steps), without loading weights.</summary>
    public TrainingState ReadState() => JsonFiles.Read<TrainingState>(Path.Combine(Folder(), StateFile));

    /// <summary>
    /// Checks every file of the checkpoint against its manifest and reads its state, before anything is loaded: a
    /// damaged checkpoint is a <see cref="CorruptFileException"/> naming the file, found before a resumed run starts.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no checkpoint.</exception>
    public TrainingState Verify()
    {
        string folder = Folder();
        Verify(folder);
        return JsonFiles.Read<TrainingState>(Path.Combine(folder, StateFile));
    }

    private string Folder()
    {
        string folder = File.Exists(Path.Combine(Directory, StateFile)) ? Directory : PreviousDirectory;
        if (!File.Exists(Path.Combine(folder, StateFile)))
            throw new FileNotFoundException($"No checkpoint to resume from in '{runDirectory}'.");
        return folder;
    }

    /// <summary>Saves model, optimizer, state and (when given) the average of the weights and the objective's randomness.</summary>
    public void Save(DensityModel model, TorchSharp.Modules.OptimizerHelper optimizer, TrainingState state,
        ParameterAverage? average = null, TrainingRandomness? randomness = null)
    {
        verified = null;
        string temp = $"{Directory}.{Guid.NewGuid():N}{AtomicFile.TemporarySuffix}";
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            ModelStore.Save(model, temp);
            optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
            average?.Save(Path.Combine(temp, AverageFile));
            randomness?.Save(Path.Combine(temp, RandomnessFile));
            JsonFiles.Write(Path.Combine(temp, StateFile), state);
            JsonFiles.Write(Path.Combine(temp, ManifestFile), Manifest(temp));
            foreach (string file in System.IO.Directory.EnumerateFiles(temp)) Durable.FlushFile(file);
            Durable.FlushDirectory(temp);
            // With no current checkpoint (a save killed between the renames), the previous one is the only one: keep
            // it until the new one is in place.
            if (System.IO.Directory.Exists(Directory))
            {
                if (System.IO.Directory.Exists(PreviousDirectory)) System.IO.Directory.Delete(PreviousDirectory, recursive: true);
                System.IO.Directory.Move(Directory, PreviousDirectory);
            }
            System.IO.Directory.Move(temp, Directory);
            Durable.FlushDirectory(runDirectory);
            if (System.IO.Directory.Exists(PreviousDirectory)) System.IO.Directory.Delete(PreviousDirectory, recursive: true);
        }
        finally
        {
            if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>
    /// Loads the checkpoint's weights into <paramref name="model"/> and state into <paramref name="optimizer"/>, after
    /// verifying its files; a damaged file is a <see cref="CorruptFileException"/>, non-finite weights a
    /// <see cref="NonFiniteWeightsException"/>.
    /// </summary>
    public TrainingState Load(DensityModel model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        string folder = Folder();
        Verify(folder);
        string weights = Path.Combine(folder, ModelStore.WeightsFile);
        StateDictFile.Load(model, weights);
        FiniteWeights.Ensure(model, weights);
        string optimizerFile = Path.Combine(folder, OptimizerFile);
        Guarded(optimizerFile, () => optimizer.load_state_dict(optimizerFile));
        return JsonFiles.Read<TrainingState>(Path.Combine(folder, StateFile));
    }

    /// <summary>
    /// Loads the checkpoint's average of the weights into <paramref name="average"/>; false (and
    /// <paramref name="average"/> unchanged) when the checkpoint has none, as one saved without averaging.
    /// </summary>
    public bool LoadAverage(ParameterAverage average)
    {
        string folder = Folder();
        string file = Path.Combine(folder, AverageFile);
        if (!File.Exists(file)) return false;
        Verify(folder);
        Guarded(file, () => average.Load(file));
        return true;
    }

    /// <summary>
    /// Restores <paramref name="randomness"/> to its state when the checkpoint was saved; false (and
    /// <paramref name="randomness"/> unchanged) when the checkpoint has none, as one written before it was saved.
    /// </summary>
    public bool LoadRandomness(TrainingRandomness randomness)
    {
        string folder = Folder();
        string file = Path.Combine(folder, RandomnessFile);
        if (!File.Exists(file)) return false;
        Verify(folder);
        randomness.Load(file);
        return true;
    }

    /// <summary>
    /// Removes the temporary folders that saves killed before their rename left behind
    /// (<c>checkpoint.GUID.tmp</c>); only call it while no other process writes the run (hold its
    /// <see cref="Runs.RunFolder"/>).
    /// </summary>
    public void RemoveTemporaryFolders()
    {
        if (!System.IO.Directory.Exists(runDirectory)) return;
        foreach (string folder in System.IO.Directory.EnumerateDirectories(runDirectory, FolderName + ".*" + AtomicFile.TemporarySuffix))
            if (AtomicFile.IsTemporaryName(Path.GetFileName(folder))) System.IO.Directory.Delete(folder, recursive: true);
    }

    /// <summary>Removes every checkpoint of the run: the current one, the previous one and temporary folders.</summary>
    public void Clear()
    {
        RemoveTemporaryFolders();
        foreach (string folder in new[] { Directory, PreviousDirectory })
            if (System.IO.Directory.Exists(folder)) System.IO.Directory.Delete(folder, recursive: true);
    }

    /// <summary>Runs a TorchSharp reader on a verified file, turning the errors a damaged one gives into a <see cref="CorruptFileException"/>.</summary>
    private static void Guarded(string file, Action load)
    {
        try
        {
            load();
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or ExternalException
                                      or OverflowException or OutOfMemoryException or FormatException)
        {
            throw new CorruptFileException(file, $"cannot be loaded ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    /// <summary>The length and SHA-256 of every file in <paramref name="folder"/>.</summary>
    private static CheckpointManifest Manifest(string folder) => new()
    {
        Files = System.IO.Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal)
            .Select(f => new FileDigest(Path.GetFileName(f), new FileInfo(f).Length, Sha256(f))).ToList(),
    };

    /// <summary>
    /// Checks every file the manifest of <paramref name="folder"/> lists against its recorded length and SHA-256; a
    /// checkpoint written before manifests were kept is only checked as it is loaded.
    /// </summary>
    private void Verify(string folder)
    {
        if (verified == folder) return;
        string manifestPath = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifestPath)) return;
        CheckpointManifest manifest = JsonFiles.Read<CheckpointManifest>(manifestPath);
        foreach (FileDigest entry in manifest.Files)
        {
            string path = Path.Combine(folder, Path.GetFileName(entry.Name));
            if (!File.Exists(path)) throw new CorruptFileException(path, $"missing, though the checkpoint's {ManifestFile} lists it.");
            long length = new FileInfo(path).Length;
            if (length != entry.Bytes)
                throw new CorruptFileException(path, $"{length} bytes, but {ManifestFile} recorded {entry.Bytes} when the checkpoint was written (one of the two is damaged).");
            if (!string.Equals(Sha256(path), entry.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new CorruptFileException(path, $"its SHA-256 differs from the one {ManifestFile} recorded when the checkpoint was written (one of the two is damaged).");
        }
        verified = folder;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}

/// <summary>The files of a checkpoint with their lengths and SHA-256 digests, written last into <c>manifest.json</c>.</summary>
public sealed record CheckpointManifest
{
    /// <summary>One entry per file.</summary>
    public List<FileDigest> Files { get; init; } = [];
}

/// <summary>A file of a checkpoint: its name, length and SHA-256 (upper-case hex).</summary>
/// <param name="Name">The file name within the checkpoint folder.</param>
/// <param name="Bytes">Its length in bytes.</param>
/// <param name="Sha256">The hex SHA-256 of its contents.</param>
public sealed record FileDigest(string Name, long Bytes, string Sha256);
