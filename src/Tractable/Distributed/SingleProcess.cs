using static TorchSharp.torch;

namespace Tractable.Distributed;

/// <summary>One process training alone: every collective operation leaves its buffer as it is. The default.</summary>
public sealed class SingleProcess : ICollective
{
    /// <summary>The one instance.</summary>
    public static readonly SingleProcess Instance = new();

    private SingleProcess() { }

    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int Size => 1;

    /// <inheritdoc />
    public void SumInPlace(Tensor buffer) { }

    /// <inheritdoc />
    public void BroadcastInPlace(Tensor buffer) { }

    /// <inheritdoc />
    public void Abort(int exitCode) => Environment.Exit(exitCode);
}
