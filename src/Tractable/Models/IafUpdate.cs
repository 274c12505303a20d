namespace Tractable.Models;

/// <summary>The element-wise update of an IAF layer.</summary>
public enum IafUpdate
{
    /// <summary>IAF's sigmoid-gated update <c>σ·z + (1 − σ)·m</c> (Kingma et al. 2016, arXiv:1606.04934, eq. 14).</summary>
    Gated,
    /// <summary>The affine update <c>z·s + t</c>.</summary>
    Affine,
}
