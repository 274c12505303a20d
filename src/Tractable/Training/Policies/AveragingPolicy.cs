using static TorchSharp.torch;

namespace Tractable.Training.Policies;

/// <summary>
/// Polyak averaging during training (<see cref="ParameterAverage"/>): the average follows every optimizer step,
/// validation and the best model use the averaged weights while training goes on from the raw ones, and a run that
/// never validated ends with the average. With a decay of 0 there is no average and every call does nothing.
/// </summary>
public sealed class AveragingPolicy : IDisposable
{
    /// <summary>Starts the average at the model's current weights (after initialization or a restored checkpoint).</summary>
    /// <param name="model">The model being trained.</param>
    /// <param name="decay">The average's decay in [0, 1); 0 turns averaging off.</param>
    public AveragingPolicy(nn.Module model, double decay)
    {
        Average = decay > 0 ? new ParameterAverage(model, decay) : null;
    }

    /// <summary>The average of the weights; null without averaging. Checkpoints save and restore it.</summary>
    public ParameterAverage? Average { get; }

    /// <summary>Folds the weights of the step just taken into the average.</summary>
    public void AfterStep() => Average?.Update();

    /// <summary>The averaged weights in the model until disposed, which puts the training weights back exactly.</summary>
    public IDisposable? ForEvaluation() => Average?.Apply();

    /// <summary>Leaves the averaged weights in the model for good: the end of a run with no best model to restore.</summary>
    public void Finish() => Average?.CopyToModel();

    /// <summary>Frees the average.</summary>
    public void Dispose() => Average?.Dispose();
}
