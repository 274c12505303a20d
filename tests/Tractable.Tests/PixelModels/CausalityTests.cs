using Tractable.Models;
using Tractable.Models.Pixel;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.PixelModels;

/// <summary>
/// The autoregressive structure, checked by gradients: the parameters of pixel i (colour c) must not depend on any input
/// at or after i in raster order (and, at pixel i itself, on colours ≥ c unless the likelihood covers the colours
/// jointly, in which case not on pixel i at all).
/// </summary>
public sealed class CausalityTests
{
    [Theory]
    [MemberData(nameof(PixelModelCases.Names), MemberType = typeof(PixelModelCases))]
    public void ParametersDependOnlyOnEarlierPixels(string name)
    {
        var (model, x, context) = Build(name);
        int colours = (int)x.shape[1], height = (int)x.shape[2], width = (int)x.shape[3];
        long p = model.Likelihood.ParameterChannels;
        bool joint = model.Likelihood.JointOverColours;
        Tensor input = x.clone().requires_grad_(true);
        Tensor output = model.Parameters(input, context);
        for (int i = 0; i < height; i++)
        for (int j = 0; j < width; j++)
        for (int c = 0; c < (joint ? 1 : colours); c++)
        {
            // Output channels of colour c (channel mod colours), or all of them for a joint likelihood.
            Tensor channels = joint ? arange(p) : arange(c, p, colours);
            Tensor target = output.index_select(1, channels).select(3, j).select(2, i).sum();
            double[] grad = autograd.grad([target], [input], retain_graph: true, allow_unused: true)[0].abs().sum([0]).data<double>().ToArray();   // [C, H, W]
            for (int ii = 0; ii < height; ii++)
            for (int jj = 0; jj < width; jj++)
            for (int cc = 0; cc < colours; cc++)
            {
                bool later = ii > i || (ii == i && jj > j) || (ii == i && jj == j && (joint || cc >= c));
                if (later)
                    Assert.True(grad[(cc * height + ii) * width + jj] == 0,
                        $"{name}: output ({i},{j}) colour {c} depends on input ({ii},{jj}) colour {cc}");
            }
        }
    }

    [Fact]
    public void GatedPixelCnnHasNoBlindSpot() =>
        // The receptive field of this configuration covers the whole image, so every earlier pixel must count.
        AssertReceptiveField("gated-binary", (i, j, ii, jj) => true);

    /// <summary>
    /// The Diagonal BiLSTM (van den Oord et al. 2016, arXiv:1601.06759, §3.2) sees every earlier pixel but one: the
    /// left-to-right scan covers the pixels above and to the left, the right-to-left scan, shifted down a row, every
    /// row above. The exception is the last pixel of the row above, (i − 1, W − 1): no position of row i − 1 sees it
    /// (it is the last of its row, and each position sees only earlier pixels), so it reaches row i only through the
    /// first layer's k×k kernel, at columns j ≥ W − 1 − k/2. For the columns left of those it is out of reach at any depth.
    /// </summary>
    [Fact]
    public void DiagonalBiLstmSeesEveryEarlierPixelButTheEndOfTheRowAbove()
    {
        var config = (PixelRnnConfig)PixelModelCases.All["diagonal-bilstm-binary"];
        int lastColumn = config.Width - 1, r = config.FirstKernel / 2;
        AssertReceptiveField("diagonal-bilstm-binary", (i, j, ii, jj) => !(ii == i - 1 && jj == lastColumn && j < lastColumn - r));
    }

    /// <summary>
    /// The Row LSTM's context is a triangle (van den Oord et al. 2016, arXiv:1601.06759, §3.1, Figure 4): after a k×k
    /// type-A first layer (r = k/2) and L layers, output (i, j) depends exactly on the pixels (i, j − L − r … j − 1) of
    /// its own row and (i − d, j − d − L − r … j + d + r − 1) of the row d above. The other earlier pixels, such as the
    /// far right of the rows just above, are out of reach, as the paper says.
    /// </summary>
    [Fact]
    public void RowLstmSeesATriangleAbove()
    {
        var config = (PixelRnnConfig)PixelModelCases.All["row-lstm-binary"];
        int r = config.FirstKernel / 2, reach = config.Layers + r;
        bool InTriangle(int i, int j, int ii, int jj) =>
            jj >= j - (i - ii) - reach && jj <= (ii == i ? j - 1 : j + (i - ii) + r - 1);
        Assert.Contains(Enumerable.Range(0, config.Width), jj => !InTriangle(config.Height - 1, 0, config.Height - 2, jj));
        AssertReceptiveField("row-lstm-binary", InTriangle);
    }

    /// <summary>
    /// Asserts that output (i, j) depends on earlier pixel (ii, jj) (gradient of any channel) exactly where
    /// <paramref name="sees"/>(i, j, ii, jj) holds.
    /// </summary>
    private static void AssertReceptiveField(string name, Func<int, int, int, int, bool> sees)
    {
        var (model, x, context) = Build(name);
        int height = (int)x.shape[2], width = (int)x.shape[3];
        Tensor input = x.clone().requires_grad_(true);
        Tensor output = model.Parameters(input, context);
        for (int i = 0; i < height; i++)
        for (int j = 0; j < width; j++)
        {
            double[] grad = autograd.grad([output.select(3, j).select(2, i).sum()], [input], retain_graph: true)[0].abs().sum([0, 1]).data<double>().ToArray();   // [H, W]
            for (int ii = 0; ii <= i; ii++)
            for (int jj = 0; jj < width; jj++)
            {
                if (ii == i && jj >= j) break;
                bool expected = sees(i, j, ii, jj);
                Assert.True(grad[ii * width + jj] > 0 == expected,
                    $"{name}: output ({i},{j}) {(expected ? "is blind to" : "sees")} earlier pixel ({ii},{jj})");
            }
        }
    }

    /// <summary>
    /// A spatial context acts where it lies (van den Oord et al. 2016, §2.3): the parameters of pixel i depend on the map at
    /// i, and, like the image, never on the map at later positions in raster order, which sampling has not reached.
    /// </summary>
    [Fact]
    public void SpatialContextActsAtItsPositionAndNeverLater()
    {
        var (model, x, context) = Build("gated-rgb4-spatial");
        int height = (int)x.shape[2], width = (int)x.shape[3];
        Tensor map = context!.clone().requires_grad_(true);
        Tensor output = model.Parameters(x, map);
        for (int i = 0; i < height; i++)
        for (int j = 0; j < width; j++)
        {
            double[] grad = autograd.grad([output.select(3, j).select(2, i).sum()], [map], retain_graph: true)[0].abs().sum([0, 1]).data<double>().ToArray();   // [H, W]
            Assert.True(grad[i * width + j] > 0, $"output ({i},{j}) ignores the map at its own position");
            for (int k = i * width + j + 1; k < height * width; k++)
                Assert.True(grad[k] == 0, $"output ({i},{j}) depends on the map at ({k / width},{k % width})");
        }
    }

    internal static (PixelAutoregressiveModel Model, Tensor X, Tensor? Context) Build(string name, int batch = 2, long seed = 1)
    {
        PixelModelConfig config = PixelModelCases.All[name];
        var model = (PixelAutoregressiveModel)config.Build();
        model.to(float64);
        Jacobian.Randomize(model, 0.3, seed);
        model.eval();
        using var g = new Generator((ulong)seed);
        Tensor x = randint(0, config.Levels, [batch, config.Colours, config.Height, config.Width], generator: g).to(float64);
        Tensor? context = PixelModelCases.Context(model, batch, g,
            n => randint(0, ((IClassConditional)model).NumClasses, [n], generator: g));
        return (model, x, context);
    }
}
