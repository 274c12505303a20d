using Tractable.Runtime;

namespace Tractable.Networks.Kernels;

/// <summary>What the convolution kernels share: their preconditions and the split of their work over threads.</summary>
internal static class ConvolutionGeometry
{
    /// <summary>Throws if a kernel is called outside the shapes it handles (a bug in its caller, not a user error).</summary>
    public static void Check(bool holds)
    {
        if (!holds) throw new InvalidOperationException("A convolution kernel was called with channel counts it does not handle.");
    }

    /// <summary>How many parts <paramref name="count"/> items are split into on <paramref name="threads"/> threads.</summary>
    public static int Parts(int count, int threads) => Math.Max(1, Math.Min(threads, count));

    /// <summary>
    /// Runs <paramref name="body"/>(part, first, end) over the <paramref name="parts"/> ranges that cover
    /// <c>[0, count)</c>, one per thread; on the calling thread alone when there is one part.
    /// </summary>
    public static void ForEachRange(int count, int parts, Action<int, int, int> body)
    {
        if (parts == 1)
        {
            body(0, 0, count);
            return;
        }
        OpenMpTeam.For(parts, k => body(k, (int)((long)count * k / parts), (int)((long)count * (k + 1) / parts)));
    }

    /// <summary>The ranges of <see cref="ForEachRange(int, int, Action{int, int, int})"/> over <see cref="Parts"/> parts.</summary>
    public static void ForEachRange(int count, int threads, Action<int, int> body) =>
        ForEachRange(count, Parts(count, threads), (_, first, end) => body(first, end));
}
