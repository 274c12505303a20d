using TorchSharp;
using Tractable.Distributions;
using Tractable.Evaluation;
using Tractable.Data;
using Tractable.Models;
using Tractable.Models.MultiScale;
using Tractable.Transforms;
using Tractable.Transforms.Elementwise;
using Tractable.Transforms.Preprocessing;
using static TorchSharp.torch;
using Tractable.Tests.Support;

namespace Tractable.Tests.Models;

public sealed class ImageFlowTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    public static IEnumerable<object[]> Configs =>
    [
        [new GlowConfig { ImageShape = [1, 8, 8], Levels = 2, StepsPerLevel = 2, HiddenChannels = 8 }],
        [new GlowConfig { ImageShape = [3, 4, 4], Levels = 2, StepsPerLevel = 1, HiddenChannels = 8, LuDecomposed = false, Coupling = CouplingMap.Additive, NumClasses = 3 }],
        [new GlowConfig { ImageShape = [1, 8, 8], Levels = 2, StepsPerLevel = 1, HiddenChannels = 8, CouplingLayout = CouplingLayout.Masked }],
        [new RealNvpImageConfig { ImageShape = [1, 8, 8], Levels = 2, HiddenChannels = 8, ResidualBlocks = 1 }],
    ];

    private static Tensor Pixels(long[] shape, long n = 16) => randint(0, 256, [n, .. shape]).to(float32);

    [Theory]
    [MemberData(nameof(Configs))]
    public void LogProbSampleAndSaveLoad(ImageFlowConfig config)
    {
        manual_seed(1);
        var model = (MultiScaleFlow)config.Build();
        Tensor x = Pixels(config.ImageShape);
        Tensor? context = model.ContextFromLabels(arange(16) % Math.Max(1, config.NumClasses));
        model.InitializeFromData(x, context);
        model.eval();
        Tensor logp = model.LogProb(x, context);
        Assert.Equal([16L], logp.shape);
        Assert.True(isfinite(logp).all().item<bool>());
        double bpd = Evaluator.BitsPerDim(-logp.mean().item<float>(), x[0].numel());
        Assert.InRange(bpd, 1, 20);

        using var g = new Generator(2);
        Tensor samples;
        using (no_grad()) samples = model.Sample(4, context?.narrow(0, 0, 4), g, temperature: 0.7);
        Assert.Equal([4L, .. config.ImageShape], samples.shape);
        Assert.True(samples.min().item<float>() >= 0 && samples.max().item<float>() <= 255);
        Assert.True(samples.eq(samples.floor()).all().item<bool>(), "samples are integer pixels");

        // Encode then decode is exact up to the dequantization cell.
        using (no_grad())
        {
            var (top, factored) = model.Encode(x);
            Assert.True(model.Decode(top, factored).eq(x).all().item<bool>());
        }

        model.Save(folder);
        DensityModel loaded = DensityModel.Load(folder);
        manual_seed(7);
        Tensor a = model.LogProb(x, context);
        manual_seed(7);
        Tensor b = loaded.LogProb(x, context);
        Assert.True((a - b).abs().max().item<float>() < 1e-4, "save/load changed the log-probs (ActNorm re-initialized?)");
    }

    /// <summary>A flow whose density is known: uniform on the unit cell via the logit transform and a logistic base.</summary>
    private sealed record UniformPixelsConfig : ModelConfig
    {
        public override string Name => "uniform-pixels";
        public override long[] EventShape => [1, 2, 2];
        public override DensityModel Build() =>
            new Flow(this, new Chain([new Dequantize(256), new Rescale(1.0 / 256), new Logit(0), new Flatten4()]), new StandardLogistic(4));
    }

    /// <summary>[B, 1, 2, 2] → [B, 4], a reshape with zero log-det.</summary>
    private sealed class Flatten4 : Bijector
    {
        public Flatten4() : base(nameof(Flatten4)) => RegisterComponents();
        public override (Tensor y, Tensor logAbsDet) Forward(Tensor x, Tensor? context = null) => (x.reshape(-1, 4), zeros(x.shape[0], dtype: x.dtype));
        public override (Tensor x, Tensor logAbsDet) Inverse(Tensor y, Tensor? context = null) => (y.reshape(-1, 1, 2, 2), zeros(y.shape[0], dtype: y.dtype));
    }

    [Fact]
    public void BitsPerDimOfAKnownDensityIsTheClosedForm()
    {
        // p is uniform on [0, 256)^D, so -log p(x + u) = D log 256 for every u and bits/dim is exactly 8.
        DensityModel model = new UniformPixelsConfig().Build();
        var split = new Split(randint(0, 256, [500, 1, 2, 2]).to(float64));
        model.to(float64);
        MeanEstimate nll = Evaluator.NegativeLogLikelihood(model, split, CPU);
        Assert.Equal(4 * Math.Log(256), nll.Mean, 6);
        Assert.Equal(8.0, Evaluator.BitsPerDim(nll.Mean, 4), 6);
    }

    [Fact]
    public void GlowCouplingLayoutDefaultsToSplitAndOldConfigurationsStayMasked()
    {
        var fresh = new GlowConfig { ImageShape = [1, 8, 8], Levels = 1, StepsPerLevel = 1, HiddenChannels = 8 };
        Assert.Equal(CouplingLayout.Split, fresh.CouplingLayout);
        string json = System.Text.Json.JsonSerializer.Serialize<ModelConfig>(fresh, Tractable.IO.JsonFiles.Options);
        Assert.Contains("\"coupling_layout\": \"split\"", json);
        Assert.Equal(CouplingLayout.Split, ((GlowConfig)System.Text.Json.JsonSerializer.Deserialize<ModelConfig>(json, Tractable.IO.JsonFiles.Options)!).CouplingLayout);

        // A model.json written before the property existed has no coupling_layout: it must rebuild the masked layout.
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        Assert.True(node.Remove("coupling_layout"));
        string old = node.ToJsonString();
        var read = (GlowConfig)System.Text.Json.JsonSerializer.Deserialize<ModelConfig>(old, Tractable.IO.JsonFiles.Options)!;
        Assert.Equal(CouplingLayout.Masked, read.CouplingLayout);
        Assert.Equal((fresh with { CouplingLayout = CouplingLayout.Masked }).Build().ParameterCount, read.Build().ParameterCount);
        // The paper's layout reads C/2 channels and writes parameters for C/2: fewer weights in both convolutions.
        Assert.True(fresh.Build().ParameterCount < read.Build().ParameterCount);
    }

    [Fact]
    public void OddImageSizesAreAClearError()
    {
        var e = Assert.Throws<InvalidConfigException>(() => new GlowConfig { ImageShape = [1, 28, 28], Levels = 3 }.Build());
        Assert.Contains("levels 3 need the image size to halve 3 times, but image_shape is 28x28", e.Message);
    }
}
