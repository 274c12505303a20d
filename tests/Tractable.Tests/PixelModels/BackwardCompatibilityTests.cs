using System.Globalization;
using Tractable.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.PixelModels;

/// <summary>
/// Gated PixelCNNs saved before the block learned spatial conditioning (fixtures written by that code: config without
/// the field, weights, and their log-probabilities and samples) load and give the same results: the samples
/// identical, the log-probabilities to float32 rounding (the computation has since been reordered for speed:
/// channels-last convolutions, the gate through the sigmoid).
/// </summary>
public sealed class BackwardCompatibilityTests
{
    public static TheoryData<string> Fixtures => new(["gated-pixelcnn-binary", "gated-pixelcnn-rgb4-conditional"]);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void SavedGatedPixelCnnLoadsWithIdenticalOutputs(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        Assert.DoesNotContain("spatial", File.ReadAllText(Path.Combine(dir, ModelStore.ConfigFile)));
        var model = (Tractable.Models.Pixel.GatedPixelCnn)DensityModel.Load(dir);
        var config = model.PixelConfig;
        using var g = new Generator(5);
        Tensor x = randint(0, config.Levels, [4, config.Colours, config.Height, config.Width], generator: g).to(float32);
        Tensor? context = model.NumClasses > 0 ? model.ContextFromLabels(tensor(new long[] { 0, 1, 2, 1 })) : null;
        using var _ = no_grad();
        float[] expected = File.ReadAllLines(Path.Combine(dir, "log-probs.txt"))
            .Where(l => l.Length > 0).Select(l => float.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        float[] actual = model.LogProb(x, context).data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * Math.Abs(expected[i]), $"log-prob {i}: {actual[i]} against {expected[i]}");
        using var g2 = new Generator(9);
        string samples = string.Join(" ", model.Sample(4, context, g2).flatten().data<float>().ToArray().Select(v => ((int)v).ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "samples.txt")).Trim(), samples);
    }
}
