using System.Globalization;
using Spectre.Console;
using Tractable.Models;
using Tractable.Runs;
using static TorchSharp.torch;

namespace Tractable.Cli.Runs;

/// <summary>Draws samples through a model kind with progress: a live bar on a terminal, plain lines in logs.</summary>
public static class SamplingDisplay
{
    /// <summary>Draws <paramref name="request"/> from <paramref name="model"/> all at once (for pictures).</summary>
    public static DrawnSamples Draw(ModelKind kind, DensityModel model, SampleRequest request, Device device) =>
        Show(kind, request, shown => kind.Draw(model, shown, device));

    /// <summary>
    /// Draws <paramref name="request"/> from <paramref name="model"/> batch by batch, handing each batch to
    /// <paramref name="write"/> with the stream it belongs to, then disposing it and what <paramref name="write"/> made
    /// of it: memory holds one batch, however many samples are drawn.
    /// </summary>
    public static void Stream(ModelKind kind, DensityModel model, SampleRequest request, Device device, Action<SampleStream, Tensor> write) =>
        Show(kind, request, shown =>
        {
            SampleStream stream = kind.Stream(model, shown, device);
            foreach (Tensor batch in stream.Batches)
            {
                using var scope = NewDisposeScope();
                using (batch) write(stream, batch);
            }
            return stream;
        });

    /// <summary>Runs <paramref name="draw"/> with a request whose progress goes to the display.</summary>
    private static T Show<T>(ModelKind kind, SampleRequest request, Func<SampleRequest, T> draw)
    {
        string title = kind.Sampling.HasFlag(SamplingFeatures.Fast) ? $"{(request.Fast ? "fast" : "naive")} {kind.Name} sampling" : $"{kind.Name} sampling";
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            T result = default!;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                    result = draw(request with { Progress = (done, total) => { task.MaxValue = total; task.Value = done; } });
                    task.Value = task.MaxValue;
                });
            return result;
        }
        AnsiConsole.WriteLine(title);
        long next = 0;
        return draw(request with
        {
            Progress = (done, total) =>
            {
                if (done < next && done != total) return;
                next = done + Math.Max(1, total / 10);
                AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done}/{total} ({100.0 * done / total:F0}%)"));
            },
        });
    }
}
