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
    /// The labels of a grid with one row per class, <paramref name="perRow"/> samples each (<c>[classes · perRow]</c>,
    /// class-major), or <paramref name="n"/> copies of <paramref name="onlyClass"/> when it is given.
    /// </summary>
    public static Tensor ForSampling(int numClasses, long n, int perRow, int? onlyClass = null)
    {
        if (onlyClass is int k)
        {
            if (k < 0 || k >= numClasses) throw new InvalidSettingException("class", $"The class must be in 0..{numClasses - 1}, got {k}.");
            return full([n], k, dtype: int64);
        }
        return arange(numClasses, dtype: int64).repeat_interleave(perRow);
    }
}
