using System.Diagnostics;
using System.Text;

namespace Tractable.Tests.Support;

/// <summary>
/// Runs the command line (or another program of the test output) in a child process, alone or as an MPI job of
/// several ranks, and collects its exit code and output.
/// </summary>
public static class ChildProcess
{
    /// <summary>MPICH's launcher, called by name where several MPI implementations are installed.</summary>
    public const string MpiLauncher = "mpirun.mpich";

    /// <summary>The command line's assembly in the test output.</summary>
    public static string Cli => Path.Combine(AppContext.BaseDirectory, "Tractable.Cli.dll");

    /// <summary>The full path of <paramref name="program"/> on the PATH, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>A started process with its output collected as it comes.</summary>
    public sealed class Running(Process process, StringBuilder output) : IDisposable
    {
        /// <summary>The process.</summary>
        public Process Process => process;

        /// <summary>Standard output and error so far.</summary>
        public string Output
        {
            get { lock (output) return output.ToString(); }
        }

        /// <summary>Waits for the exit (killing the whole tree after <paramref name="timeout"/>) and returns the exit code and output.</summary>
        public (int ExitCode, string Output) Wait(TimeSpan timeout)
        {
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"{process.StartInfo.FileName} did not finish in {timeout}:\n{Output}");
            }
            process.WaitForExit();
            return (process.ExitCode, Output);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="assembly"/> <paramref name="args"/></c>, as <paramref name="ranks"/> MPI ranks when given.</summary>
    public static Running Start(string assembly, IReadOnlyList<string> args, int? ranks = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (ranks is int n)
        {
            start.FileName = MpiLauncher;
            foreach (string a in new[] { "-np", n.ToString(), "dotnet", assembly }) start.ArgumentList.Add(a);
        }
        else
        {
            start.FileName = "dotnet";
            start.ArgumentList.Add(assembly);
        }
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Running(process, output);
    }

    /// <summary>Runs the command line with <paramref name="args"/> to the end (as <paramref name="ranks"/> ranks when given).</summary>
    public static (int ExitCode, string Output) RunCli(IReadOnlyList<string> args, int? ranks = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using Running running = Start(Cli, args, ranks, environment);
        return running.Wait(TimeSpan.FromMinutes(3));
    }
}
