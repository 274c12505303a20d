namespace Tractable.Models;

/// <summary>What the conditioner of a channel-wise coupling reads and writes.</summary>
public enum CouplingLayout
{
    /// <summary>
    /// The whole tensor with the transformed half masked to zero, C channels in and parameters for all C channels out
    /// (half of them unused): how Glow models were built before <see cref="Split"/> existed.
    /// </summary>
    Masked,

    /// <summary>The kept half only, C/2 channels in, parameters for the other C/2 out (Glow, arXiv:1807.03039, §3.3).</summary>
    Split,
}
