using Microsoft.Extensions.Time.Testing;
using Tractable.Training;
using Tractable.Training.Policies;

namespace Tractable.Tests.Training.Policies;

public sealed class ProgressLogTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("tractable-progress-log-").FullName;
    private readonly FakeTimeProvider clock = new();

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Csv => Path.Combine(folder, "metrics.csv");

    private string[][] Rows() => File.ReadAllLines(Csv).Skip(1).Select(l => l.Split(',')).ToArray();

    [Fact]
    public void ARowAndAReportEveryIntervalAfterValidationsAndAtTheEnd()
    {
        var reports = new List<TrainProgress>();
        var log = new ProgressLog(new MetricsLog(Csv), reports.Add, logEvery: 3, totalSteps: 7, start: new TrainingState(), TimeSpan.FromHours(1), clock);
        var time = new TimeLimit(0, 0, clock: clock);
        var state = new TrainingState();
        for (int step = 1; step <= 7; step++)
        {
            log.AddLoss(step);
            bool validated = step == 5;
            log.AfterStep(step, 0.01, validated, validated ? 2.5 : null, state, time);
        }
        string[][] rows = Rows();
        Assert.Equal(["3", "5", "6", "7"], rows.Select(r => r[0]));
        // Each row's loss is the mean of the steps since the previous row: (1+2+3)/3, (4+5)/2, 6, 7.
        Assert.Equal(["2", "4.5", "6", "7"], rows.Select(r => r[1]));
        Assert.Equal(["", "2.5", "", ""], rows.Select(r => r[3]));
        Assert.Equal([3, 5, 6, 7], reports.Select(r => r.Step));
        Assert.Equal(2.5, reports[1].ValidationLoss);
    }

    [Fact]
    public void ALogResumedBetweenRowsWritesTheRowsOfAnUninterruptedOne()
    {
        var time = new TimeLimit(0, 0, clock: clock);
        var whole = new ProgressLog(new MetricsLog(Csv), null, logEvery: 4, totalSteps: 8, start: new TrainingState(), TimeSpan.FromHours(1), clock);
        TrainingState saved = new();
        for (int step = 1; step <= 8; step++)
        {
            whole.AddLoss(step * 0.1);
            whole.AfterStep(step, 0.01, false, null, new TrainingState(), time);
            if (step == 6) saved = whole.WithUnloggedLoss(new TrainingState { Step = 6 });   // a checkpoint between the rows of steps 4 and 8
        }
        string[][] uninterrupted = Rows();
        Assert.Equal(2, saved.UnloggedLossCount);
        File.Delete(Csv);

        var resumed = new ProgressLog(new MetricsLog(Csv), null, logEvery: 4, totalSteps: 8, start: saved, TimeSpan.FromHours(1), clock);
        for (int step = 7; step <= 8; step++)
        {
            resumed.AddLoss(step * 0.1);
            resumed.AfterStep(step, 0.01, false, null, new TrainingState(), time);
        }
        Assert.Equal(uninterrupted[^1], Rows().Single());                     // the mean of steps 5 to 8, not 7 and 8
    }

    [Fact]
    public void SlowStepsAreReportedBetweenRowsWithoutWritingRows()
    {
        var reports = new List<TrainProgress>();
        var log = new ProgressLog(new MetricsLog(Csv), reports.Add, logEvery: 100, totalSteps: 100, start: new TrainingState(), TimeSpan.FromSeconds(10), clock);
        var time = new TimeLimit(0, 0, clock: clock);
        for (int step = 1; step <= 7; step++)
        {
            clock.Advance(TimeSpan.FromSeconds(4));
            log.AddLoss(step);
            log.AfterStep(step, 0.01, false, null, new TrainingState(), time);
        }
        // 4 s a step: 12 s after the start at step 3, 12 s after that at step 6.
        Assert.Equal([3, 6], reports.Select(r => r.Step));
        Assert.Equal([2.0, 3.5], reports.Select(r => r.Loss));
        Assert.Equal(0.25, reports[0].StepsPerSecond, 9);
        Assert.False(File.Exists(Csv));
    }

    [Fact]
    public void TheEtaRespectsTheTimeLimit()
    {
        var reports = new List<TrainProgress>();
        var log = new ProgressLog(null, reports.Add, logEvery: 1, totalSteps: 10_000, start: new TrainingState(), TimeSpan.FromSeconds(10), clock);
        var time = new TimeLimit(maxMinutes: 2, previousSeconds: 0, clock: clock);
        clock.Advance(TimeSpan.FromSeconds(10));
        log.AfterStep(10, 0.01, false, null, new TrainingState(), time);
        // 9990 steps at 1 step/s would take hours; the limit ends training in 110 s.
        Assert.Equal(TimeSpan.FromSeconds(110), reports.Single().Eta);
    }
}
