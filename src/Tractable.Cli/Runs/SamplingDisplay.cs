using System.Globalization;
using Spectre.Console;
using Tractable.Models;
using Tractable.Runs;
using static TorchSharp.torch;

namespace Tractable.Cli.Runs;

/// <summary>Draws samples through a model kind with progress: a live bar on a terminal, plain lines in logs.</summary>
public static class SamplingDisplay
{
    /// <summary>Draws <paramref name="request"/> from <paramref name="model"/>.</summary>
    public static DrawnSamples Draw(ModelKind kind, DensityModel model, SampleRequest request, Device device)
    {
        string title = kind.Sampling.HasFlag(SamplingFeatures.Fast) ? $"{(request.Fast ? "fast" : "naive")} {kind.Name} sampling" : $"{kind.Name} sampling";
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            DrawnSamples? result = null;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                    result = kind.Draw(model, request with { Progress = (done, total) => { task.MaxValue = total; task.Value = done; } }, device);
                    task.Value = task.MaxValue;
                });
            return result!;
        }
        AnsiConsole.WriteLine(title);
        long next = 0;
        return kind.Draw(model, request with
        {
            Progress = (done, total) =>
            {
                if (done < next && done != total) return;
                next = done + Math.Max(1, total / 10);
                AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done}/{total} ({100.0 * done / total:F0}%)"));
            },
        }, device);
    }
}
