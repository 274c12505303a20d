namespace Tractable.Data.Arrays;

/// <summary>The element types read from NumPy <c>.npy</c> files (NumPy's <c>descr</c> in brackets, little-endian).</summary>
public enum NpyType
{
    /// <summary>Unsigned bytes (<c>|u1</c>): 8-bit images.</summary>
    UInt8,
    /// <summary>32-bit integers (<c>&lt;i4</c>): labels.</summary>
    Int32,
    /// <summary>64-bit integers (<c>&lt;i8</c>, NumPy's default integer): labels.</summary>
    Int64,
    /// <summary>32-bit floats (<c>&lt;f4</c>): tables.</summary>
    Float32,
    /// <summary>64-bit floats (<c>&lt;f8</c>, NumPy's default float): tables, read as float32.</summary>
    Float64,
}
