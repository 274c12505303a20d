using Tractable.Networks;

namespace Tractable.Tests.FastPaths;

/// <summary>The managed products of the fused generation steps against the plain sums, at widths around the SIMD tiles.</summary>
public sealed class VectorProductsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(64, 32)]
    [InlineData(33, 45)]
    [InlineData(160, 256)]
    [InlineData(5, 1100)]
    [InlineData(1500, 9)]
    public void AddProductEqualsThePlainSumWithZeroInputs(int inputs, int outputs)
    {
        var random = new Random(inputs * 31 + outputs);
        // About half the inputs zero, as after a ReLU.
        double[] x = Enumerable.Range(0, inputs).Select(_ => Math.Max(0, random.NextDouble() - 0.5)).ToArray();
        double[] w = Enumerable.Range(0, inputs * outputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] y = Enumerable.Range(0, outputs).Select(_ => random.NextDouble()).ToArray();
        double[] expected = y.Select((v, j) => v + Enumerable.Range(0, inputs).Sum(i => x[i] * w[i * outputs + j])).ToArray();
        VectorProducts.AddProduct<double>(x, w, y);
        for (int j = 0; j < outputs; j++) Assert.Equal(expected[j], y[j], 1e-12);

        float[] xf = x.Select(v => (float)v).ToArray(), wf = w.Select(v => (float)v).ToArray(), yf = new float[outputs];
        VectorProducts.AddProduct<float>(xf, wf, yf);
        for (int j = 0; j < outputs; j++)
        {
            double product = Enumerable.Range(0, inputs).Sum(i => (double)xf[i] * wf[i * outputs + j]);
            Assert.True(Math.Abs(product - yf[j]) < 1e-5 * (1 + Math.Abs(product)), $"output {j}: {yf[j]} against {product}");
        }
    }

    [Fact]
    public void AddProductRejectsAMatrixTooSmall() =>
        Assert.Throws<ArgumentException>(() => VectorProducts.AddProduct<float>(new float[4], new float[11], new float[3]));

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(67)]
    public void ReluAndAddToAreElementwise(int length)
    {
        var random = new Random(length);
        float[] x = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] y = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        float[] relu = new float[length], sum = (float[])y.Clone();
        VectorProducts.Relu<float>(x, relu);
        VectorProducts.AddTo<float>(x, sum);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(Math.Max(x[i], 0f), relu[i]);
            Assert.Equal(y[i] + x[i], sum[i]);
        }
        VectorProducts.Relu<float>(x, x);
        Assert.Equal(relu, x);
    }
}
