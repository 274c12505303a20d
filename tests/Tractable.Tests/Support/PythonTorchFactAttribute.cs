using System.Diagnostics;

namespace Tractable.Tests.Support;

/// <summary>
/// A test that needs Python 3 with PyTorch (Debian: <c>apt-get install python3-torch</c>); skipped, saying so, where
/// <c>python3 -c "import torch"</c> fails.
/// </summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    /// <summary>Skipped unless <see cref="Available"/>.</summary>
    public PythonTorchFactAttribute()
    {
        if (!Available.Value) Skip = "Needs python3 with torch (apt-get install python3-torch).";
    }

    /// <summary>Whether <c>python3</c> imports torch.</summary>
    public static readonly Lazy<bool> Available = new(() => Python.Run("-c \"import torch\"", TimeSpan.FromSeconds(60)).ExitCode == 0);
}

/// <summary>Runs the system's Python 3 (Debian's, where PyTorch is installed as a package).</summary>
public static class Python
{
    /// <summary>The interpreter: Debian's <c>/usr/bin/python3</c> where it exists, else <c>python3</c> on the path.</summary>
    public static string Executable => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Runs the interpreter with <paramref name="arguments"/>; returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string arguments, TimeSpan timeout)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Executable, arguments)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out");
            }
            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
