using TorchSharp;
using Tractable.IO;
using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>
/// A saved model is a folder with <c>model.json</c> (its <see cref="ModelConfig"/>) and <c>model.bin</c> (its state
/// dict: parameters and buffers such as ActNorm's init flag and batch-norm statistics). Both are written atomically.
/// Loading checks everything before it is used: the configuration's fields and size (<see cref="ModelLimits"/>), the
/// weights file against the model it builds (<see cref="StateDictFile"/>) and the weights' values
/// (<see cref="FiniteWeights"/>); each problem is a <see cref="TractableInputException"/> naming the file.
/// </summary>
public static class ModelStore
{
    /// <summary>File name of the configuration.</summary>
    public const string ConfigFile = "model.json";

    /// <summary>File name of the weights.</summary>
    public const string WeightsFile = "model.bin";

    /// <summary>Saves <paramref name="model"/> into <paramref name="directory"/>.</summary>
    public static void Save(DensityModel model, string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.Write(Path.Combine(directory, WeightsFile), tmp => model.save(tmp));
        JsonFiles.Write(Path.Combine(directory, ConfigFile), model.Config);
    }

    /// <summary>Whether <paramref name="directory"/> holds a saved model.</summary>
    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, ConfigFile)) && File.Exists(Path.Combine(directory, WeightsFile));

    /// <summary>Rebuilds the model saved in <paramref name="directory"/>, loads its weights and moves it to <paramref name="device"/>.</summary>
    public static DensityModel Load(string directory, Device? device = null)
    {
        if (!Exists(directory))
            throw new FileNotFoundException(
                $"No saved model in '{directory}': expected {ConfigFile} and {WeightsFile}.", Path.Combine(directory, ConfigFile));
        DensityModel model = ReadConfig(directory).Build();
        try
        {
            string weights = Path.Combine(directory, WeightsFile);
            StateDictFile.Load(model, weights);
            FiniteWeights.Ensure(model, weights);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        if (device is not null) model.to(device);
        model.eval();
        return model;
    }

    /// <summary>
    /// The configuration saved in <paramref name="directory"/>, checked against <see cref="ModelLimits"/>: a malformed
    /// file is a <see cref="CorruptFileException"/>, a field out of bounds an <see cref="InvalidConfigException"/>, both
    /// naming the file.
    /// </summary>
    public static ModelConfig ReadConfig(string directory)
    {
        string path = Path.Combine(directory, ConfigFile);
        ModelConfig config = JsonFiles.Read<ModelConfig>(path);
        try
        {
            ModelLimits.Validate(config);
        }
        catch (InvalidConfigException e)
        {
            throw new InvalidConfigException($"{path}: {e.Message}");
        }
        return config;
    }
}
