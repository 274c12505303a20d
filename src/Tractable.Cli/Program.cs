using Tractable.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops training after the current step and saves a checkpoint; a second one kills.
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};
// Distributed hook: after a failure under mpirun, end every rank of the job.
return Tractable.Cli.Runs.RankConsole.Leave(TractableCli.Run(args, cancellation.Token));
