using System.Text;
using Spectre.Console;
using Tractable.Cli.CommandLine;
using Tractable.Distributed;

namespace Tractable.Cli.Runs;

/// <summary>
/// The command line as one rank of an MPI job (<c>mpirun.mpich -np N tractable train …</c>): rank 0 prints as usual; the
/// other ranks keep only their last lines, shown on standard error if they fail, so that the job's output is one
/// process's and a failure still says which rank failed and why.
/// </summary>
public static class RankConsole
{
    private const int KeptLines = 40;
    private static readonly TimeSpan RootGrace = TimeSpan.FromSeconds(2);
    private static LastLines? _kept;

    /// <summary>Joins the MPI job when mpirun started this process (<see cref="ProcessGroup.JoinFromEnvironment"/>); a no-op otherwise.</summary>
    public static void Join()
    {
        ICollective world = ProcessGroup.JoinFromEnvironment();
        if (world.IsRoot || _kept is not null) return;
        _kept = new LastLines(KeptLines);
        TextWriter writer = TextWriter.Synchronized(_kept);
        Console.SetOut(writer);
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
    }

    /// <summary>Refuses, in a job of several processes, a command that does not run across processes.</summary>
    public static void Check(string command)
    {
        if (ProcessGroup.Current.Size > 1 && command is not ("train" or "eval"))
            throw new UsageException($"'{command}' runs in one process: start it without mpirun (train and eval run across processes).");
    }

    /// <summary>Leaves the job with <paramref name="exitCode"/> (<see cref="ProcessGroup.Leave"/>), first showing a failed rank's last lines.</summary>
    public static int Leave(int exitCode)
    {
        if (exitCode != 0 && _kept is not null)
        {
            // Rank 0 most often fails alike (a bad option, a missing file) and ends the job with its own message; ending
            // it from here at once could cut that message short. So this rank waits a moment, and only a failure of its
            // own (rank 0 still alive, waiting for it) shows its lines and ends the job.
            Thread.Sleep(RootGrace);
            string rank = $"[rank {ProcessGroup.Current.Rank}] ";
            foreach (string line in _kept.Lines()) Console.Error.WriteLine(rank + line);
            Console.Error.Flush();
        }
        return ProcessGroup.Leave(exitCode);
    }

    /// <summary>A writer that keeps only the last lines written to it.</summary>
    private sealed class LastLines(int capacity) : TextWriter
    {
        private readonly Queue<string> lines = new();
        private readonly StringBuilder current = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\r') return;
            if (value != '\n')
            {
                current.Append(value);
                return;
            }
            lines.Enqueue(current.ToString());
            current.Clear();
            if (lines.Count > capacity) lines.Dequeue();
        }

        public IEnumerable<string> Lines() => current.Length > 0 ? lines.Append(current.ToString()) : lines;
    }
}
