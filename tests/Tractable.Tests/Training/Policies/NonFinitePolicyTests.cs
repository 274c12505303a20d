using Tractable.Training;
using Tractable.Training.Policies;

namespace Tractable.Tests.Training.Policies;

public sealed class NonFinitePolicyTests
{
    [Fact]
    public void NonFiniteStepsAreSkippedAndCountedAndAFiniteStepEndsTheRun()
    {
        var policy = new NonFinitePolicy(maxConsecutiveSkips: 3, maxRestarts: 1);
        var state = new TrainingState();
        var outcomes = new List<StepOutcome>();
        foreach (bool finite in new[] { false, false, true, false, false, true })
        {
            (state, StepOutcome outcome) = policy.Observe(finite, state, canRestart: false);
            outcomes.Add(outcome);
        }
        Assert.Equal([StepOutcome.Skipped, StepOutcome.Skipped, StepOutcome.Taken, StepOutcome.Skipped, StepOutcome.Skipped, StepOutcome.Taken], outcomes);
        Assert.Equal(4, state.SkippedSteps);
    }

    [Fact]
    public void SkipThenRestartThenDiverge()
    {
        var policy = new NonFinitePolicy(maxConsecutiveSkips: 2, maxRestarts: 1);
        var state = new TrainingState { Step = 30, BestValidation = 1.5 };
        (state, StepOutcome first) = policy.Observe(false, state, canRestart: true);
        (state, StepOutcome second) = policy.Observe(false, state, canRestart: true);
        Assert.Equal(StepOutcome.Skipped, first);
        Assert.Equal(StepOutcome.Restart, second);

        var checkpoint = new TrainingState { Step = 25, BestValidation = 2.0, EvaluationsWithoutImprovement = 1, SkippedSteps = 0 };
        state = NonFinitePolicy.AfterRestart(checkpoint, state);
        Assert.Equal(new TrainingState { Step = 25, BestValidation = 1.5, EvaluationsWithoutImprovement = 1, SkippedSteps = 2, Restarts = 1 }, state);
        Assert.Equal(0.5, NonFinitePolicy.LearningRateFactor(state));

        // The count of skips in a row started over with the restart; the second run of skips finds the restarts used up.
        (state, StepOutcome third) = policy.Observe(false, state, canRestart: true);
        Assert.Equal(StepOutcome.Skipped, third);
        var e = Assert.Throws<TrainingDivergedException>(() => policy.Observe(false, state, canRestart: true));
        Assert.Contains("1 restarts", e.Message);
    }

    [Fact]
    public void WithoutACheckpointRepeatedSkipsAreAClearError()
    {
        var policy = new NonFinitePolicy(maxConsecutiveSkips: 2, maxRestarts: 3);
        (TrainingState state, _) = policy.Observe(false, new TrainingState(), canRestart: false);
        var e = Assert.Throws<TrainingDivergedException>(() => policy.Observe(false, state, canRestart: false));
        Assert.Contains("non-finite", e.Message);
    }

    [Fact]
    public void ZeroConsecutiveSkipsNeverRestarts()
    {
        var policy = new NonFinitePolicy(maxConsecutiveSkips: 0, maxRestarts: 0);
        var state = new TrainingState();
        for (int i = 0; i < 100; i++)
        {
            (state, StepOutcome outcome) = policy.Observe(false, state, canRestart: false);
            Assert.Equal(StepOutcome.Skipped, outcome);
        }
        Assert.Equal(100, state.SkippedSteps);
    }

    [Fact]
    public void EachRestartHalvesTheLearningRate()
    {
        double[] factors = Enumerable.Range(0, 4).Select(r => NonFinitePolicy.LearningRateFactor(new TrainingState { Restarts = r })).ToArray();
        Assert.Equal([1.0, 0.5, 0.25, 0.125], factors);
    }
}
