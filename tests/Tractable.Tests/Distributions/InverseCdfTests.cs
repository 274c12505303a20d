using Tractable.Distributions;
using static TorchSharp.torch;

namespace Tractable.Tests.Distributions;

/// <summary>The inverse-CDF draw picks the first category whose cumulative probability exceeds the uniform.</summary>
public sealed class InverseCdfTests
{
    [Fact]
    public void DrawsTheFirstCategoryWhoseCdfExceedsTheUniform()
    {
        Tensor logits = tensor(new[] { 0.2, 0.3, 0.5 }).log().expand(5, 3);   // CDF 0.2, 0.5, 1.0
        Tensor u = tensor(new[] { 0.1, 0.45, 0.55, 0.99, 0.0 });
        Assert.Equal(new long[] { 0, 1, 2, 2, 0 }, InverseCdf.Draw(logits, u).data<long>().ToArray());
    }

    [Fact]
    public void DrawsAlongAnyDimension()
    {
        // [B = 1, K = 3, D = 2]: feature 0 has probabilities 0.2, 0.3, 0.5, feature 1 has 0.7, 0.2, 0.1.
        Tensor logits = tensor(new[] { 0.2, 0.7, 0.3, 0.2, 0.5, 0.1 }).log().view(1, 3, 2);
        Tensor u = tensor(new[] { 0.45, 0.85 }).view(1, 2);
        Assert.Equal(new long[] { 1, 1 }, InverseCdf.Draw(logits, u, dim: 1).flatten().data<long>().ToArray());
    }

    [Fact]
    public void TemperatureSharpensTheDistribution()
    {
        Tensor logits = tensor(new[] { 0.4, 0.6 }).log().unsqueeze(0);
        Tensor u = tensor(new[] { 0.35 });
        Assert.Equal(0L, InverseCdf.Draw(logits, u).item<long>());               // CDF 0.4 > 0.35
        Assert.Equal(1L, InverseCdf.Draw(logits, u, temperature: 0.25).item<long>());  // 0.4⁴ / (0.4⁴ + 0.6⁴) ≈ 0.16
    }
}
