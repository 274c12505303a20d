namespace Tractable.Tests.Support;

/// <summary>A tiny RealNVP run on moons (2 couplings of 8 hidden units, 10 steps, checkpoints at 5 and 10), trained once for a test class.</summary>
public sealed class TinyRealNvpRun : IDisposable
{
    private readonly TempDirectory folder = new();

    /// <summary>Trains the run.</summary>
    public TinyRealNvpRun()
    {
        (int code, string output) = InProcessCli.Run("train", "--model", "realnvp", "--data", "moons", "--layers", "2", "--hidden", "8",
            "--steps", "10", "--eval-every", "5", "--checkpoint-every", "5", "--threads", "1", "--out", Path);
        Assert.True(code == 0, output);
    }

    /// <summary>The run folder.</summary>
    public string Path => folder.File("run");

    /// <inheritdoc />
    public void Dispose() => folder.Dispose();
}
