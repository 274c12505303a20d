using Spectre.Console;
using Tractable.Training;

namespace Tractable.Cli.Runs;

/// <summary>Shows training progress: a live bar on a terminal, plain lines in logs.</summary>
public static class TrainingDisplay
{
    /// <summary>The longest time between two progress lines in a log.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="train"/>, giving it a progress callback.</summary>
    public static T Run<T>(string title, int startStep, int totalSteps, Func<Action<TrainProgress>, T> train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Logs get one plain line per report that brings a new validation figure, and at least one every
            // LogInterval, so that a redirected run shows it is alive.
            AnsiConsole.WriteLine($"{title}: steps {startStep}..{totalSteps}");
            double? lastValidation = null;
            var sinceLine = System.Diagnostics.Stopwatch.StartNew();
            return train(p =>
            {
                if (p.ValidationLoss == lastValidation && p.Step != p.TotalSteps && sinceLine.Elapsed < LogInterval) return;
                lastValidation = p.ValidationLoss;
                sinceLine.Restart();
                Console.Out.WriteLine(Describe(p));
                Console.Out.Flush();
            });
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: totalSteps);
                task.Value = startStep;
                result = train(p =>
                {
                    task.Value = p.Step;
                    task.Description = Markup.Escape(Describe(p));
                });
            });
        return result;
    }

    private static string Describe(TrainProgress p)
    {
        string validation = p.ValidationLoss is double v ? $" val {v:F4} (best {p.BestValidation:F4})" : "";
        string skipped = p.SkippedSteps > 0 ? $" skipped {p.SkippedSteps}" : "";
        return $"step {p.Step}/{p.TotalSteps} loss {p.Loss:F4}{validation} lr {p.LearningRate:G3} {p.StepsPerSecond:F0} steps/s eta {(int)p.Eta.TotalHours}:{p.Eta:mm\\:ss}{skipped}";
    }
}
