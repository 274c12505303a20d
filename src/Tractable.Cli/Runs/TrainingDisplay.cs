using Spectre.Console;
using Tractable.Training;

namespace Tractable.Cli.Runs;

/// <summary>Shows training progress: a live bar on a terminal, plain lines in logs.</summary>
public static class TrainingDisplay
{
    /// <summary>Runs <paramref name="train"/>, giving it a progress callback.</summary>
    public static T Run<T>(string title, int startStep, int totalSteps, Func<Action<TrainProgress>, T> train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.WriteLine($"{title}: steps {startStep}..{totalSteps}");
            double? lastValidation = null;
            return train(p =>
            {
                if (p.ValidationLoss == lastValidation && p.Step != p.TotalSteps) return;
                lastValidation = p.ValidationLoss;
                AnsiConsole.WriteLine(Describe(p));
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
