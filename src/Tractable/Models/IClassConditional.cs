using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>A model that conditions on a class label (through <see cref="DensityModel.ContextFromLabels"/>).</summary>
public interface IClassConditional
{
    /// <summary>Number of classes (0 when this instance was built unconditional).</summary>
    int NumClasses { get; }
}

/// <summary>Labels for drawing samples from class-conditional models.</summary>
public static class ClassLabels
{
    /// <summary>
    /// The labels of samples <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1 of a
    /// grid with one row per class, <paramref name="perRow"/> samples each (class-major: sample i is of class
    /// i / <paramref name="perRow"/>), or copies of <paramref name="onlyClass"/> when it is given; <c>[count]</c>.
    /// </summary>
    public static Tensor ForRows(int perRow, int? onlyClass, long start, long count) =>
        onlyClass is int k ? full([count], k, dtype: int64) : arange(start, start + count, dtype: int64).div(perRow, rounding_mode: RoundingMode.floor);
}
