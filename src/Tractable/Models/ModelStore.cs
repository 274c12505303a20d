using TorchSharp;
using Tractable.IO;
using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>
/// A saved model is a folder with <c>model.json</c> (its <see cref="ModelConfig"/>) and <c>model.bin</c> (its state
/// dict: parameters and buffers such as ActNorm's init flag and batch-norm statistics). Both are written atomically.
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
        ModelConfig config = JsonFiles.Read<ModelConfig>(Path.Combine(directory, ConfigFile));
        DensityModel model = config.Build();
        model.load(Path.Combine(directory, WeightsFile), strict: true);
        if (device is not null) model.to(device);
        model.eval();
        return model;
    }
}
