using Tractable.Models;
using TorchSharp.Modules;

namespace Tractable.Training.Policies;

/// <summary>
/// When to save a resumable checkpoint, and how to go back to one. A checkpoint is saved every
/// <c>every</c> steps and whenever the run ends (finished, stopped or cancelled). Restoring brings back the weights,
/// the optimizer state and the average of the weights together, so that a resumed run equals an uninterrupted one.
/// </summary>
/// <param name="store">The run's checkpoint folder; null for a run without a directory, which never saves.</param>
/// <param name="every">Steps between scheduled checkpoints; 0 saves only when the run ends.</param>
public sealed class CheckpointPolicy(CheckpointStore? store, int every)
{
    /// <summary>Whether there is a checkpoint to restore.</summary>
    public bool CanRestore => store is { Exists: true };

    /// <summary>Whether to save after <paramref name="step"/> (1-based count of steps done).</summary>
    /// <param name="step">Steps completed.</param>
    /// <param name="ending">Whether the run ends after this step.</param>
    public bool IsDue(int step, bool ending) => store is not null && (ending || (every > 0 && step % every == 0));

    /// <summary>
    /// Saves the model, the optimizer, <paramref name="state"/>, (when averaging) the average of the weights and the
    /// objective's <paramref name="randomness"/>. Weights that are no longer finite are never saved: the run has diverged,
    /// and the last checkpoint and best model stay as they were.
    /// </summary>
    public void Save(DensityModel model, OptimizerHelper optimizer, TrainingState state, ParameterAverage? average, TrainingRandomness? randomness = null)
    {
        if (store is null) throw new InvalidOperationException("A run without a directory has no checkpoint to save to.");
        if (FiniteWeights.NonFinite(model) is { Count: > 0 } bad)
            throw new TrainingDivergedException($"The weights are no longer finite ({bad[0]}); the last checkpoint and the best model are kept.");
        store.Save(model, optimizer, state, average, randomness);
    }

    /// <summary>
    /// Loads the checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>, and its average of the weights
    /// into <paramref name="average"/>; an average the checkpoint lacks (one saved without averaging) starts over at
    /// the restored weights. Returns the checkpoint's state.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no checkpoint.</exception>
    /// <remarks>The objective's <paramref name="randomness"/> is restored too, where the checkpoint holds it.</remarks>
    public TrainingState Restore(DensityModel model, OptimizerHelper optimizer, ParameterAverage? average, TrainingRandomness? randomness = null)
    {
        if (store is null) throw new FileNotFoundException("No checkpoint to restore: the run has no directory.");
        TrainingState state = store.Load(model, optimizer);
        if (average is not null && !store.LoadAverage(average)) average.Reset();
        if (randomness is not null) store.LoadRandomness(randomness);
        return state;
    }
}
