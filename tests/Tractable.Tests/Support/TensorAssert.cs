using static TorchSharp.torch;

namespace Tractable.Tests.Support;

/// <summary>Assertions on tensors.</summary>
internal static class TensorAssert
{
    /// <summary>
    /// That <paramref name="actual"/> has <paramref name="expected"/>'s shape and differs from it by at most
    /// <paramref name="tolerance"/> times the larger of 1 and its largest magnitude.
    /// </summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(1, expected.abs().max().to(ScalarType.Float64).item<double>());
        double difference = (expected - actual).abs().max().to(ScalarType.Float64).item<double>();
        Assert.True(difference <= tolerance * scale, $"{what} differs by {difference} of {scale}");
    }
}
