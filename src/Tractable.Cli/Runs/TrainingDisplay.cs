using Spectre.Console;
using Tractable.Runs;
using Tractable.Training;

namespace Tractable.Cli.Runs;

/// <summary>Shows training progress: a live bar on a terminal, plain lines in logs.</summary>
public static class TrainingDisplay
{
    /// <summary>The longest time between two progress lines in a log.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs <paramref name="train"/>, giving it a progress callback; losses are shown in <paramref name="scale"/>, the
    /// unit of the run's results.
    /// </summary>
    public static T Run<T>(string title, LikelihoodScale scale, int startStep, int totalSteps, Func<Action<TrainProgress>, T> train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Logs get one plain line per report that brings a new validation figure, and at least one every
            // LogInterval, so that a redirected run shows it is alive. Plain Console writes: Spectre would wrap lines
            // at its assumed width of 80 columns when the output is not a terminal.
            Console.Out.WriteLine($"{title}: steps {startStep}..{totalSteps}");
            double? lastValidation = null;
            var sinceLine = System.Diagnostics.Stopwatch.StartNew();
            return train(p =>
            {
                if (p.ValidationLoss == lastValidation && p.Step != p.TotalSteps && sinceLine.Elapsed < LogInterval) return;
                lastValidation = p.ValidationLoss;
                sinceLine.Restart();
                Console.Out.WriteLine(Describe(p, scale));
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
                    task.Description = Markup.Escape(Describe(p, scale));
                });
            });
        return result;
    }

    /// <summary>
    /// One progress line: step, training loss and validation in the results' unit, learning rate, speed, and the time
    /// until the run ends evaluated.
    /// </summary>
    public static string Describe(TrainProgress p, LikelihoodScale scale)
    {
        string validation = p.ValidationLoss is double v ? $" val {Figure(v, scale)} (best {Figure(p.BestValidation ?? v, scale)})" : "";
        string skipped = p.SkippedSteps > 0 ? $" skipped {p.SkippedSteps}" : "";
        string eta = p.Eta == TimeSpan.MaxValue ? "?" : $"{(int)p.Eta.TotalHours}:{p.Eta:mm\\:ss}";
        string speed = p.StepsPerSecond >= 10 ? $"{p.StepsPerSecond:F0}" : $"{p.StepsPerSecond:F2}";
        return FormattableString.Invariant(
            $"step {p.Step}/{p.TotalSteps} loss {Figure(p.Loss, scale)} {scale.Unit}{validation} lr {p.LearningRate:G3} {speed} steps/s eta {eta}{skipped}");
    }

    private static string Figure(double nats, LikelihoodScale scale) =>
        scale.FromNats(nats).ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
}
