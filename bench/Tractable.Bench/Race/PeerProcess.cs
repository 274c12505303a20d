using System.Diagnostics;
using System.Text.Json;

namespace Tractable.Bench.Race;

/// <summary>
/// The PyTorch side of the race: <c>bench/peer/peer.py</c> run as a child process that builds one reference model and
/// measures rows on request (JSON lines over stdin/stdout; the protocol is in the script's docstring). It waits on its
/// input between requests, so it takes no CPU while the Tractable side runs.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process process;

    private PeerProcess(Process process, JsonElement hello)
    {
        this.process = process;
        Hello = hello;
    }

    /// <summary>The peer's first reply: case, parameter count, torch version, threads, BLAS library.</summary>
    public JsonElement Hello { get; }

    /// <summary>The number of trainable scalars of the peer's model.</summary>
    public long Parameters => Hello.GetProperty("parameters").GetInt64();

    /// <summary>Starts the peer for <paramref name="raceCase"/> on <paramref name="threads"/> threads.</summary>
    public static PeerProcess Start(string python, string script, string raceCase, int threads)
    {
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        foreach (string a in new[] { script, raceCase, "--threads", threads.ToString() }) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {python}.");
        string? line = process.StandardOutput.ReadLine();
        if (line is null) throw new InvalidOperationException($"The PyTorch peer exited before answering (exit code {WaitForExit(process)}).");
        return new PeerProcess(process, JsonDocument.Parse(line).RootElement.Clone());
    }

    /// <summary>Items (not calls) of <paramref name="row"/> over about <paramref name="seconds"/>, after <paramref name="warmup"/> calls.</summary>
    public Throughput Measure(string row, double seconds, int warmup)
    {
        JsonElement reply = Ask(new { row, seconds, warmup });
        return new Throughput((long)(reply.GetProperty("calls").GetDouble() * reply.GetProperty("items_per_call").GetDouble()),
            reply.GetProperty("seconds").GetDouble(), reply.GetProperty("cpu_seconds").GetDouble());
    }

    /// <summary>Ends the peer and returns its peak resident set in MiB.</summary>
    public double Quit() => Ask(new { quit = true }).GetProperty("peak_rss_mib").GetDouble();

    private JsonElement Ask(object request)
    {
        process.StandardInput.WriteLine(JsonSerializer.Serialize(request));
        process.StandardInput.Flush();
        string? line = process.StandardOutput.ReadLine();
        if (line is null) throw new InvalidOperationException($"The PyTorch peer exited (exit code {WaitForExit(process)}).");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    private static int WaitForExit(Process p)
    {
        p.WaitForExit(5000);
        return p.HasExited ? p.ExitCode : -1;
    }

    /// <summary>
    /// A Python interpreter that imports torch: <c>TRACTABLE_PEER_PYTHON</c> when set, else <c>python3</c> or the
    /// system's <c>/usr/bin/python3</c> (where Debian's <c>python3-torch</c> installs); null when none has torch.
    /// </summary>
    public static string? FindPython()
    {
        string[] candidates = Environment.GetEnvironmentVariable("TRACTABLE_PEER_PYTHON") is { Length: > 0 } chosen
            ? [chosen]
            : ["python3", "/usr/bin/python3"];
        foreach (string candidate in candidates)
        {
            try
            {
                var info = new ProcessStartInfo(candidate) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add("import torch");
                using var p = Process.Start(info);
                if (p is null) continue;
                p.WaitForExit();
                if (p.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under that name: try the next.
            }
        }
        return null;
    }

    /// <summary><c>bench/peer/peer.py</c>, looked for above the working directory and above the program's folder.</summary>
    public static string? FindScript()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string path = Path.Combine(dir.FullName, "bench", "peer", "peer.py");
                if (File.Exists(path)) return path;
            }
        }
        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!process.HasExited)
        {
            try { process.StandardInput.Close(); } catch (IOException) { }
            if (!process.WaitForExit(5000)) process.Kill();
        }
        process.Dispose();
    }
}
