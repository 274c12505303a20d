using TorchSharp;

namespace Tractable.Runtime;

/// <summary>Scalars made once, for the hot paths.</summary>
/// <remarks>
/// An operation given a plain number (<c>a + b</c>, whose alpha is 1; <c>x * 2.0</c>) makes a native
/// <see cref="Scalar"/> that only a garbage collection frees, and a pass that allocates almost nothing managed triggers
/// none: the small blocks outlive the pass and lodge in the large free chunks its maps left, so the next pass's maps no
/// longer fit there (docs/benchmarks.md). WaveNet's density over rows grew the C heap by about 100 MiB a pass with its
/// residual and skip sums written <c>h + o</c>; with <see cref="One"/> it stays flat.
/// </remarks>
internal static class Scalars
{
    /// <summary>1, the alpha of an addition.</summary>
    public static readonly Scalar One = 1.ToScalar();
}
