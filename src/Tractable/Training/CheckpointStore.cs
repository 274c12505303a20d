using Tractable.IO;
using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// A resumable checkpoint: the folder <c>checkpoint/</c> of a run holds the model (<see cref="ModelStore"/>), the
/// optimizer state, <see cref="TrainingState"/> and, when the weights are averaged, the <see cref="ParameterAverage"/>
/// (<c>average.bin</c>). It is written into a temporary folder and swapped in, so an interrupted save leaves the
/// previous checkpoint intact.
/// </summary>
public sealed class CheckpointStore(string runDirectory)
{
    private const string StateFile = "state.json";
    private const string OptimizerFile = "optimizer.bin";
    private const string AverageFile = "average.bin";

    /// <summary>The checkpoint folder.</summary>
    public string Directory { get; } = Path.Combine(runDirectory, "checkpoint");

    private string Previous => Directory + ".previous";

    /// <summary>Whether a checkpoint exists.</summary>
    public bool Exists => File.Exists(Path.Combine(Directory, StateFile)) || File.Exists(Path.Combine(Previous, StateFile));

    /// <summary>The step the checkpoint was saved at.</summary>
    public int SavedStep() => ReadState().Step;

    /// <summary>The training state of the checkpoint (step, training time, skipped steps), without loading weights.</summary>
    public TrainingState ReadState() => JsonFiles.Read<TrainingState>(Path.Combine(Folder(), StateFile));

    private string Folder()
    {
        string folder = File.Exists(Path.Combine(Directory, StateFile)) ? Directory : Previous;
        if (!File.Exists(Path.Combine(folder, StateFile)))
            throw new FileNotFoundException($"No checkpoint to resume from in '{runDirectory}'.");
        return folder;
    }

    /// <summary>Saves model, optimizer, state and (when given) the average of the weights.</summary>
    public void Save(DensityModel model, TorchSharp.Modules.OptimizerHelper optimizer, TrainingState state,
        ParameterAverage? average = null)
    {
        string temp = $"{Directory}.{Guid.NewGuid():N}.tmp";
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            ModelStore.Save(model, temp);
            optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
            average?.Save(Path.Combine(temp, AverageFile));
            JsonFiles.Write(Path.Combine(temp, StateFile), state);
            if (System.IO.Directory.Exists(Previous)) System.IO.Directory.Delete(Previous, recursive: true);
            if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Move(Directory, Previous);
            System.IO.Directory.Move(temp, Directory);
            if (System.IO.Directory.Exists(Previous)) System.IO.Directory.Delete(Previous, recursive: true);
        }
        finally
        {
            if (System.IO.Directory.Exists(temp)) System.IO.Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Loads the checkpoint's weights into <paramref name="model"/> and state into <paramref name="optimizer"/>.</summary>
    public TrainingState Load(DensityModel model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        string folder = Folder();
        model.load(Path.Combine(folder, ModelStore.WeightsFile), strict: true);
        optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        return JsonFiles.Read<TrainingState>(Path.Combine(folder, StateFile));
    }

    /// <summary>
    /// Loads the checkpoint's average of the weights into <paramref name="average"/>; false (and
    /// <paramref name="average"/> unchanged) when the checkpoint has none, as one saved without averaging.
    /// </summary>
    public bool LoadAverage(ParameterAverage average)
    {
        string file = Path.Combine(Folder(), AverageFile);
        if (!File.Exists(file)) return false;
        average.Load(file);
        return true;
    }
}
