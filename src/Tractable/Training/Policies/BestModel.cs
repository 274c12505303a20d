using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Training.Policies;

/// <summary>
/// The best weights by validation: a copy in memory, which the run ends with, and, for a run with a directory,
/// <c>model.bin</c> there (<see cref="ModelStore"/>), which is therefore always the best model so far. The copy belongs
/// to no dispose scope; <see cref="Dispose"/> frees it.
/// </summary>
/// <param name="runDirectory">Where the best model is saved; null keeps it in memory only.</param>
public sealed class BestModel(string? runDirectory) : IDisposable
{
    private Dictionary<string, Tensor>? weights;

    /// <summary>Whether a best model is held.</summary>
    public bool Exists => weights is not null;

    /// <summary>Takes the model an earlier session of the run saved as its best, if there is one.</summary>
    public void LoadSaved()
    {
        if (runDirectory is null || !ModelStore.Exists(runDirectory)) return;
        using DensityModel saved = ModelStore.Load(runDirectory);
        Replace(saved);
    }

    /// <summary>Keeps the weights <paramref name="model"/> has now as the best, and saves it to the run directory.</summary>
    public void Keep(DensityModel model)
    {
        Replace(model);
        if (runDirectory is not null) ModelStore.Save(model, runDirectory);
    }

    /// <summary>Loads the best weights into <paramref name="model"/>; false (and the model unchanged) when there are none.</summary>
    public bool RestoreInto(nn.Module model)
    {
        if (weights is null) return false;
        model.load_state_dict(weights);
        return true;
    }

    /// <summary>Frees the copy of the weights.</summary>
    public void Dispose()
    {
        if (weights is null) return;
        foreach (Tensor t in weights.Values) t.Dispose();
        weights = null;
    }

    /// <summary>A copy of the model's state that later steps do not change, owned by no dispose scope.</summary>
    private void Replace(nn.Module model)
    {
        Dispose();
        using var scope = NewDisposeScope();
        weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().MoveToOuterDisposeScope());
    }
}
