using System.Collections;
using Tractable.Data;
using Tractable.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Tractable.IO;

/// <summary>
/// Weights exchanged with PyTorch: a model's state dict as a <c>.pt</c> file in <c>torch.save</c>'s format (written and
/// read through TorchSharp.PyBridge), under the names of the library's own modules — <c>transform.steps.3.conditioner.body.linear0.weight</c>
/// — so that a PyTorch module built with the same attribute names loads it with <c>load_state_dict(torch.load(path))</c>
/// (docs/pytorch.md documents such modules for RealNVP and Glow). Buffers (masks, permutations, ActNorm's
/// initialization flag, standardization statistics) travel with the parameters.
/// </summary>
public static class PyTorchExchange
{
    /// <summary>Writes the state dict of <paramref name="model"/> to <paramref name="path"/> (a <c>.pt</c> file PyTorch's <c>torch.load</c> reads).</summary>
    public static void Export(DensityModel model, string path)
    {
        using var scope = NewDisposeScope();
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in model.state_dict()) state[name] = tensor.detach().cpu().contiguous();
        AtomicFile.Write(path, tmp => PyTorchPickler.PickleStateDict(tmp, state));
    }

    /// <summary>
    /// Loads the state dict in <paramref name="path"/> (written by <see cref="Export"/> or by
    /// <c>torch.save(module.state_dict(), path)</c>) into <paramref name="model"/>. Every name must match and every shape
    /// agree; values are converted to the model's dtypes. Nothing is changed unless the whole file fits.
    /// </summary>
    /// <exception cref="DataFormatException">The file is not a state dict, or does not fit the model (names listed).</exception>
    public static void Import(DensityModel model, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No weights file '{path}'.", path);
        using var scope = NewDisposeScope();
        IReadOnlyDictionary<string, Tensor> loaded = ReadStateDict(path);
        var expected = model.state_dict();
        string[] missing = expected.Keys.Where(k => !loaded.ContainsKey(k)).ToArray();
        string[] unexpected = loaded.Keys.Where(k => !expected.ContainsKey(k)).ToArray();
        if (missing.Length > 0 || unexpected.Length > 0)
            throw new DataFormatException($"'{path}' does not fit this '{model.Config.Name}' model: " + string.Join("; ",
                new[] { (missing, "missing"), (unexpected, "not in the model") }.Where(p => p.Item1.Length > 0).Select(p => $"{p.Item1.Length} {p.Item2} ({Names(p.Item1)})")) +
                ". Export from a model built with the same model.json, or rename the entries to the model's names.");
        foreach (var (name, target) in expected)
            if (!target.shape.SequenceEqual(loaded[name].shape))
                throw new DataFormatException($"'{path}': '{name}' has shape [{string.Join(", ", loaded[name].shape)}], the model's is [{string.Join(", ", target.shape)}].");
        using var _ = no_grad();
        foreach (var (name, target) in expected) target.copy_(loaded[name]);
    }

    /// <summary>A model built from <paramref name="config"/> with the weights in <paramref name="path"/>, in evaluation mode.</summary>
    public static DensityModel Import(ModelConfig config, string path)
    {
        DensityModel model = config.Build();
        Import(model, path);
        model.eval();
        return model;
    }

    /// <summary>
    /// Writes a reference batch for checking a PyTorch port: the first <paramref name="count"/> examples of
    /// <paramref name="examples"/> (<c>x</c>, and <c>labels</c> for a class-conditional model), the uniform noise
    /// <c>noise</c> that a dequantizing model adds to them, and the model's <c>log_prob</c> of them with that noise, in nats.
    /// </summary>
    /// <remarks>
    /// Dequantization draws from the global generator (<c>rand_like</c>); it is seeded with <paramref name="seed"/> before
    /// the noise is drawn and again before <see cref="DensityModel.LogProb"/>, so the recorded noise is the one used.
    /// Models without dequantization ignore it. The global generator is left reseeded.
    /// </remarks>
    public static void WriteReference(DensityModel model, Split examples, int count, string path, long seed = 0)
    {
        if (count < 1) throw new InvalidSettingException("count", $"A reference batch needs at least one example, got {count}.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using IDisposable mode = model.InMode(training: false);
        Device device = model.parameters().FirstOrDefault()?.device ?? CPU;
        long n = Math.Min(count, examples.Count);
        Tensor x = examples.X.narrow(0, 0, n).to(device);
        Tensor? labels = examples.Labels?.narrow(0, 0, n).to(device);
        Tensor? context = labels is null ? null : model.ContextFromLabels(labels);
        manual_seed(seed);
        Tensor noise = rand_like(x);
        manual_seed(seed);
        Tensor logProb = model.LogProb(x, context);
        var reference = new Dictionary<string, Tensor> { ["x"] = x.cpu(), ["noise"] = noise.cpu(), ["log_prob"] = logProb.cpu() };
        if (context is not null) reference["labels"] = labels!.cpu();
        AtomicFile.Write(path, tmp => PyTorchPickler.PickleStateDict(tmp, reference));
    }

    /// <summary>The tensors of the state dict in <paramref name="path"/>, by name.</summary>
    private static IReadOnlyDictionary<string, Tensor> ReadStateDict(string path)
    {
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not (IOException or UnauthorizedAccessException))
        {
            throw new DataFormatException($"'{path}' is not a PyTorch state dict (a file of torch.save(module.state_dict(), path)): {e.Message}");
        }
        var state = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string name || entry.Value is not Tensor tensor)
                throw new DataFormatException($"'{path}' holds '{entry.Key}' = {entry.Value?.GetType().Name ?? "null"}; a state dict maps names to tensors " +
                                              "(for a checkpoint that nests one, save checkpoint[key] on its own).");
            state[name] = tensor;
        }
        return state;
    }

    private static string Names(string[] names) =>
        string.Join(", ", names.Take(3)) + (names.Length > 3 ? $", … {names.Length - 3} more" : "");
}
