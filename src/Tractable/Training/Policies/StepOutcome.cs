namespace Tractable.Training.Policies;

/// <summary>What becomes of an optimizer step (<see cref="NonFinitePolicy"/>).</summary>
public enum StepOutcome
{
    /// <summary>The loss and the gradient were finite and the step was taken.</summary>
    Taken,

    /// <summary>The loss or the gradient was not finite: the step is skipped (counted, weights unchanged).</summary>
    Skipped,

    /// <summary>Too many skips in a row: go back to the last checkpoint and continue at half the learning rate.</summary>
    Restart,
}
