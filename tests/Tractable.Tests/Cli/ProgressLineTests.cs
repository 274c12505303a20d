using Tractable.Cli;
using Tractable.Cli.Runs;
using Tractable.Runs;
using Tractable.Tests.Support;
using Tractable.Training;

namespace Tractable.Tests.Cli;

/// <summary>Progress in logs: plain lines, never wrapped, in the unit of the run's results, with an ETA.</summary>
[Collection(Support.Sequential.Name)]
public sealed class ProgressLineTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ALineShowsTheLossInTheResultsUnit()
    {
        var progress = new TrainProgress
        {
            Step = 40, TotalSteps = 100, Loss = 784 * Math.Log(2) * 0.25, LearningRate = 1e-3, StepsPerSecond = 2.5,
            Eta = new TimeSpan(1, 2, 3), ValidationLoss = 784 * Math.Log(2) * 0.5, BestValidation = 784 * Math.Log(2) * 0.375,
        };
        string line = TrainingDisplay.Describe(progress, LikelihoodScale.BitsPerDim(784));
        Assert.Equal("step 40/100 loss 0.2500 bits/dim val 0.5000 (best 0.3750) lr 0.001 2.50 steps/s eta 1:02:03", line);
        Assert.Contains("loss 1.0000 bits/sample", TrainingDisplay.Describe(progress with { Loss = Math.Log(2) }, LikelihoodScale.BitsPerSample));
        Assert.EndsWith("eta ?", TrainingDisplay.Describe(progress with { Eta = TimeSpan.MaxValue, ValidationLoss = null }, LikelihoodScale.Nats));
    }

    [Fact]
    public void ARedirectedRunWritesWholeLinesLongerThanEightyColumns()
    {
        // A long dataset path makes the header line long; every progress line is longer than 80 columns too.
        string data = folder.File(new string('t', 70) + ".csv");
        var random = new Random(3);
        File.WriteAllLines(data, Enumerable.Range(0, 200).Select(_ => $"{random.NextDouble():F4},{random.NextDouble():F4}"));
        int code = 0;
        string output = ConsoleCapture.Of(() => code = TractableCli.Run(["train", "--model", "realnvp", "--data", $"csv:{data}", "--layers", "2",
            "--hidden", "8", "--steps", "20", "--eval-every", "10", "--threads", "1", "--out", folder.File("run")]));
        Assert.Equal(0, code);
        string[] lines = output.Split('\n');
        string header = Assert.Single(lines, l => l.StartsWith("realnvp on ", StringComparison.Ordinal));
        Assert.EndsWith("steps 0..20", header.TrimEnd());
        string[] steps = lines.Where(l => l.StartsWith("step ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(steps);
        Assert.All(steps, l => Assert.Matches(@"^step \d+/20 loss -?\d+\.\d{4} nats( val .*)? lr \S+ \S+ steps/s eta (\d+:\d\d:\d\d|\?)\s*$", l));
        Assert.Contains(steps, l => l.Length > 80);
    }
}
