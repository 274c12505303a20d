using Microsoft.Extensions.Time.Testing;
using Tractable.Training.Policies;

namespace Tractable.Tests.Training.Policies;

public sealed class TimeLimitTests
{
    private readonly FakeTimeProvider clock = new();

    [Fact]
    public void WithoutALimitTimeNeverRunsOut()
    {
        var limit = new TimeLimit(maxMinutes: 0, previousSeconds: 0, TimeSpan.FromMinutes(5), clock);
        clock.Advance(TimeSpan.FromDays(400));
        Assert.False(limit.IsReached);
        Assert.Null(limit.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(50) + TimeSpan.FromMinutes(5), limit.Eta(100, stepsPerSecond: 2));
    }

    [Fact]
    public void TheLimitCountsEarlierSessions()
    {
        var limit = new TimeLimit(maxMinutes: 1, previousSeconds: 30, clock: clock);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(limit.IsReached);
        Assert.Equal(59, limit.TotalSeconds, 6);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limit.IsReached);
        Assert.Equal(TimeSpan.Zero, limit.Remaining);
    }

    [Fact]
    public void TheLimitKeepsTimeForTheEvaluationAfterTraining()
    {
        var limit = new TimeLimit(maxMinutes: 1, previousSeconds: 0, TimeSpan.FromSeconds(20), clock);
        clock.Advance(TimeSpan.FromSeconds(39));
        Assert.False(limit.IsReached);
        Assert.Equal(TimeSpan.FromSeconds(1), limit.Remaining);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limit.IsReached);
    }

    [Fact]
    public void TheLimitKeepsTimeForTheFinalValidation()
    {
        var limit = new TimeLimit(maxMinutes: 1, previousSeconds: 0, TimeSpan.FromSeconds(20), clock);
        double value = limit.MeasureValidation(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            return 1.25;
        });
        Assert.Equal(1.25, value);
        Assert.Equal(TimeSpan.FromSeconds(30), limit.Reserve);
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.False(limit.IsReached);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limit.IsReached);
    }

    [Fact]
    public void TheEtaIsTheSoonerOfStepsLeftAndTimeLeft()
    {
        var limit = new TimeLimit(maxMinutes: 10, previousSeconds: 0, TimeSpan.FromSeconds(60), clock);
        clock.Advance(TimeSpan.FromMinutes(1));
        // 8 minutes left before the limit stops training (10 - 1 elapsed - 1 kept for evaluation), then the evaluation.
        Assert.Equal(TimeSpan.FromMinutes(9), limit.Eta(stepsLeft: 1000, stepsPerSecond: 1));
        Assert.Equal(TimeSpan.FromSeconds(160), limit.Eta(stepsLeft: 100, stepsPerSecond: 1));
    }

    [Fact]
    public void TheFinalEvaluationIsEstimatedFromTheLatestValidationAndCountsInTheLimitAndTheEta()
    {
        // The test split takes 2 validations; the final validation one more: 3 × 20 s kept free.
        var limit = new TimeLimit(maxMinutes: 10, previousSeconds: 0, clock: clock, finalValidations: 2);
        limit.MeasureValidation(() => { clock.Advance(TimeSpan.FromSeconds(20)); return 0; });
        Assert.Equal(TimeSpan.FromSeconds(60), limit.Reserve);
        Assert.Equal(TimeSpan.FromSeconds(10 * 60 - 20), limit.Eta(stepsLeft: 1_000_000, stepsPerSecond: 1));
        Assert.Equal(TimeSpan.FromSeconds(100 + 60), limit.Eta(stepsLeft: 100, stepsPerSecond: 1));
        clock.Advance(TimeSpan.FromSeconds(10 * 60 - 20 - 60 - 1));
        Assert.False(limit.IsReached);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limit.IsReached);
    }

    [Fact]
    public void AStalledRateGivesTheTimeLeftOrTheLongestEta()
    {
        Assert.Equal(TimeSpan.MaxValue, new TimeLimit(0, 0, clock: clock).Eta(1_000_000, stepsPerSecond: 0));
        Assert.Equal(TimeSpan.FromMinutes(2), new TimeLimit(2, 0, clock: clock).Eta(1_000_000, stepsPerSecond: 0));
    }
}
