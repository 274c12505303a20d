namespace Tractable.Training.Policies;

/// <summary>
/// When to validate and when to stop early: a validation every <c>every</c> steps and after the last step; a
/// validation that does not beat the best so far (a non-finite one never does) counts towards
/// <c>patience</c>, and <c>patience</c> of them in a row stop the run. The counts live in <see cref="TrainingState"/>,
/// so a resumed run stops where an uninterrupted one would.
/// </summary>
/// <param name="every">Steps between validations (at least 1).</param>
/// <param name="patience">Validations without improvement that stop the run; 0 never stops early.</param>
/// <param name="totalSteps">The run's last step, which is always validated.</param>
public sealed class ValidationPolicy(int every, int patience, int totalSteps)
{
    /// <summary>Whether to validate after <paramref name="step"/> steps.</summary>
    public bool IsDue(int step) => step % every == 0 || step == totalSteps;

    /// <summary>Records the validation loss <paramref name="loss"/>.</summary>
    /// <returns>The updated state, whether <paramref name="loss"/> is the new best, and whether to stop now.</returns>
    public (TrainingState State, bool Improved, bool Stop) Observe(TrainingState state, double loss)
    {
        if (loss < state.BestValidation)
            return (state with { BestValidation = loss, EvaluationsWithoutImprovement = 0 }, true, false);
        TrainingState worse = state with { EvaluationsWithoutImprovement = state.EvaluationsWithoutImprovement + 1 };
        return (worse, false, patience > 0 && worse.EvaluationsWithoutImprovement >= patience);
    }
}
