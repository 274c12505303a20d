namespace Tractable.Transforms.Elementwise;

/// <summary>The element-wise maps a coupling layer may be configured with (<see cref="ElementwiseMap.Create"/>).</summary>
public enum CouplingMap
{
    /// <summary><c>y = x·s + t</c>, <see cref="AffineMap"/>.</summary>
    Affine,
    /// <summary><c>y = x + t</c>, <see cref="AdditiveMap"/> (volume preserving).</summary>
    Additive,
}
