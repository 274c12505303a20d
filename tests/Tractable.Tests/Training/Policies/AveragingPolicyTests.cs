using Tractable.Training.Policies;
using static TorchSharp.torch;

namespace Tractable.Tests.Training.Policies;

public sealed class AveragingPolicyTests
{
    private static nn.Module Linear(double weight)
    {
        var linear = nn.Linear(1, 1, hasBias: false, dtype: float64);
        using var _ = no_grad();
        linear.weight!.fill_(weight);
        return linear;
    }

    private static void Set(nn.Module model, double weight)
    {
        using var _ = no_grad();
        model.parameters().Single().fill_(weight);
    }

    private static double Weight(nn.Module model) => model.parameters().Single().item<double>();

    [Fact]
    public void WithoutDecayNothingIsAveraged()
    {
        using var model = Linear(1.0);
        using var policy = new AveragingPolicy(model, 0);
        Assert.Null(policy.Average);
        Set(model, 3.0);
        policy.AfterStep();
        Assert.Null(policy.ForEvaluation());
        policy.Finish();
        Assert.Equal(3.0, Weight(model));
    }

    [Fact]
    public void EvaluationSeesTheAverageAndTrainingGoesOnFromTheRawWeights()
    {
        using var model = Linear(0.0);
        using var policy = new AveragingPolicy(model, 0.5);
        // The first update's decay is min(0.5, 1/10) = 0.1: the average becomes 0.1·0 + 0.9·10 = 9.
        Set(model, 10.0);
        policy.AfterStep();
        Assert.Equal(1, policy.Average!.Updates);
        using (policy.ForEvaluation()) Assert.Equal(9.0, Weight(model), 12);
        Assert.Equal(10.0, Weight(model));
        policy.Finish();
        Assert.Equal(9.0, Weight(model), 12);
    }
}
