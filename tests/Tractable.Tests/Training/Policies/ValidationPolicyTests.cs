using Tractable.Training;
using Tractable.Training.Policies;

namespace Tractable.Tests.Training.Policies;

public sealed class ValidationPolicyTests
{
    [Fact]
    public void ValidatesEveryIntervalAndAfterTheLastStep()
    {
        var policy = new ValidationPolicy(every: 3, patience: 0, totalSteps: 10);
        int[] due = Enumerable.Range(1, 10).Where(policy.IsDue).ToArray();
        Assert.Equal([3, 6, 9, 10], due);
    }

    [Fact]
    public void StopsAfterPatienceValidationsWithoutImprovement()
    {
        var policy = new ValidationPolicy(every: 1, patience: 3, totalSteps: 100);
        var state = new TrainingState();
        var seen = new List<(bool Improved, bool Stop)>();
        // 4.0 only equals the best: not an improvement.
        foreach (double loss in new[] { 5.0, 4.0, 4.5, 4.2, 4.0 })
        {
            (state, bool improved, bool stop) = policy.Observe(state, loss);
            seen.Add((improved, stop));
        }
        Assert.Equal([(true, false), (true, false), (false, false), (false, false), (false, true)], seen);
        Assert.Equal(4.0, state.BestValidation);
        Assert.Equal(3, state.EvaluationsWithoutImprovement);
    }

    [Fact]
    public void AnImprovementStartsTheCountAgain()
    {
        var policy = new ValidationPolicy(every: 1, patience: 2, totalSteps: 100);
        var state = new TrainingState();
        bool stop = false;
        foreach (double loss in new[] { 3.0, 3.5, 2.0, 2.5 })
            (state, _, stop) = policy.Observe(state, loss);
        Assert.False(stop);
        Assert.Equal(1, state.EvaluationsWithoutImprovement);
        (_, _, stop) = policy.Observe(state, 2.1);
        Assert.True(stop);
    }

    [Fact]
    public void PatienceZeroNeverStops()
    {
        var policy = new ValidationPolicy(every: 1, patience: 0, totalSteps: 100);
        var state = new TrainingState();
        (state, _, _) = policy.Observe(state, 1.0);
        for (int i = 0; i < 50; i++)
        {
            (state, bool improved, bool stop) = policy.Observe(state, 2.0);
            Assert.False(improved || stop);
        }
        Assert.Equal(50, state.EvaluationsWithoutImprovement);
    }

    [Fact]
    public void ANonFiniteValidationNeverImproves()
    {
        var policy = new ValidationPolicy(every: 1, patience: 2, totalSteps: 100);
        (TrainingState state, bool improved, _) = policy.Observe(new TrainingState(), double.NaN);
        Assert.False(improved);
        Assert.Equal(double.PositiveInfinity, state.BestValidation);
        (_, _, bool stop) = policy.Observe(state, double.PositiveInfinity);
        Assert.True(stop);
    }
}
