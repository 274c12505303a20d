using Tractable.Models;
using Tractable.Networks;
using Tractable.Runs;
using Tractable.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tractable.Tests.Layers;

/// <summary>
/// The library's convolutions agree with float64 in float32, forward and both gradients, for channel counts off
/// oneDNN's blocks, where libtorch's default-layout convolutions came out wrong on some processors (docs/benchmarks.md).
/// </summary>
public sealed class ChannelsLastConvolutionTests
{
    public static TheoryData<string, int, int> Layers => new()
    {
        { "3x3", 20, 3 }, { "3x3", 24, 4 }, { "3x3", 12, 40 }, { "3x3", 40, 24 },
        { "4x4 stride 2", 20, 24 }, { "transposed 2x3 stride 2", 24, 3 }, { "transposed 2x3 stride 2", 12, 40 },
        { "transposed 7x7 from one pixel", 2, 24 }, { "transposed 7x7 from one pixel", 4, 40 },
        { "1-d kernel 2 dilation 4", 64, 4 }, { "1-d kernel 2 dilation 4", 64, 128 }, { "1-d kernel 2 dilation 4", 20, 24 }, { "1-d kernel 3", 2, 8 }, { "1-d kernel 3", 24, 40 },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void ALayerInTheDefaultLayoutMatchesFloat64(string layer, int inputs, int outputs)
    {
        using var g = new Generator((ulong)(inputs * 100 + outputs));
        Convolution conv = layer switch
        {
            "3x3" => nn.Conv2d(inputs, outputs, 3, padding: 1),
            "4x4 stride 2" => nn.Conv2d(inputs, outputs, 4, stride: 2, padding: 1),
            "transposed 2x3 stride 2" => nn.ConvTranspose2d(inputs, outputs, (2, 3), stride: (2, 2)),
            "transposed 7x7 from one pixel" => nn.ConvTranspose2d(inputs, outputs, 7),
            "1-d kernel 2 dilation 4" => nn.Conv1d(inputs, outputs, 2, dilation: 4),
            "1-d kernel 3" => nn.Conv1d(inputs, outputs, 3, padding: 1),
            _ => throw new ArgumentException(layer),
        };
        Tensor x = conv.kernel_size.Length == 1 ? randn([4, inputs, 300], generator: g)
            : layer.EndsWith("one pixel") ? randn([4, inputs, 1, 1], generator: g)                 // as a VAE decoder's latent code
            : randn([4, inputs, 14, 14], generator: g);                                            // the default layout

        (Tensor Y, Tensor Dx, Tensor Dw) Run(Convolution c, Tensor input)
        {
            Tensor xg = input.detach().requires_grad_();
            Tensor y = ChannelsLastConvolution.Forward(c, xg);
            Tensor upstream = cos(arange(y.numel(), dtype: y.dtype).view(y.shape));
            var g = autograd.grad([(y * upstream).sum()], [xg, c.weight!]);
            return (y.detach(), g[0], g[1]);
        }

        var single = Run(conv, x);
        conv.to(ScalarType.Float64);
        var exact = Run(conv, x.to(ScalarType.Float64));
        Assert.Equal(exact.Y.shape, single.Y.shape);
        AssertClose(exact.Y, single.Y, "output");
        AssertClose(exact.Dx, single.Dx, "input gradient");
        AssertClose(exact.Dw, single.Dw, "weight gradient");
    }

    /// <summary>
    /// Whole models whose likelihood has no randomness, with every width at 2 and three colours: their float32 gradients
    /// are the float64 ones. A Row LSTM's 1-d state convolution and its masked convolutions' transposed input gradients
    /// were off by 2–6% of the gradient's scale in libtorch's default layout.
    /// </summary>
    [Theory]
    [InlineData("pixelcnn")]
    [InlineData("gated-pixelcnn")]
    [InlineData("pixelcnn++")]
    [InlineData("row-lstm")]
    [InlineData("diagonal-bilstm")]
    public void ATinyModelsFloat32GradientsAreItsFloat64Ones(string name)
    {
        ModelKind kind = ModelRegistry.Find(name);
        DataShape shape = kind.TypicalData with { EventShape = [3, 8, 8] };
        ModelConfig config = kind.CreateConfig(shape, TinyKinds.Options(kind));
        using var g = new Generator(1);
        using DensityModel single = config.Build();
        using (no_grad()) foreach (Parameter p in single.parameters()) p.add_(randn(p.shape, generator: g) * 0.05);
        using DensityModel exact = config.Build();
        exact.to(ScalarType.Float64);
        using (no_grad()) foreach (var (e, s) in exact.parameters().Zip(single.parameters())) e.copy_(s);
        Tensor x = randint(0, shape.Levels!.Value, [3, .. shape.EventShape], generator: g).to(ScalarType.Float32);

        single.LogProb(x).sum().backward();
        exact.LogProb(x.to(ScalarType.Float64)).sum().backward();

        var pairs = exact.named_parameters().Zip(single.parameters()).Where(p => p.First.parameter.grad is not null).ToArray();
        Assert.NotEmpty(pairs);
        double scale = pairs.Max(p => p.First.parameter.grad!.abs().max().item<double>());
        foreach (var ((parameterName, e), s) in pairs)
        {
            double error = (s.grad!.to(ScalarType.Float64) - e.grad!).abs().max().item<double>() / scale;
            Assert.True(error < 1e-4, $"{name} {parameterName}: gradient off by {error:G3} of the gradient's scale");
        }
    }

    /// <summary>The image flows' coupling networks, whose likelihood draws dequantization noise, checked on their own.</summary>
    [Theory]
    [InlineData("glow", 6, 12, 20)]
    [InlineData("glow", 2, 4, 24)]
    [InlineData("resnet", 6, 12, 20)]
    [InlineData("resnet", 2, 4, 12)]
    public void ACouplingNetworksFloat32GradientsAreItsFloat64Ones(string network, int inputs, int outputs, int hidden)
    {
        using var g = new Generator((ulong)hidden);
        ConditionerNetwork Build() => network == "glow" ? new GlowConditioner(inputs, outputs, hidden) : new ResNetConditioner(inputs, outputs, hidden, blocks: 2);
        using ConditionerNetwork single = Build();
        using (no_grad()) foreach (Parameter p in single.parameters()) p.add_(randn(p.shape, generator: g) * 0.05);   // off Glow's zero output
        using ConditionerNetwork exact = Build();
        exact.to(ScalarType.Float64);
        using (no_grad()) foreach (var (e, s) in exact.parameters().Zip(single.parameters())) e.copy_(s);
        Tensor x = randn([4, inputs, 14, 14], generator: g);
        Tensor xSingle = x.clone().requires_grad_(), xExact = x.to(ScalarType.Float64).requires_grad_();
        Tensor ySingle = single.Forward(xSingle), yExact = exact.Forward(xExact);
        Tensor upstream = cos(arange(yExact.numel(), dtype: ScalarType.Float64).view(yExact.shape));
        (ySingle * upstream.to(ScalarType.Float32)).sum().backward();
        (yExact * upstream).sum().backward();

        AssertClose(yExact.detach(), ySingle.detach(), "output");
        AssertClose(xExact.grad!, xSingle.grad!, "input gradient");
        foreach (var ((parameterName, e), s) in exact.named_parameters().Zip(single.parameters()))
            AssertClose(e.grad!, s.grad!, parameterName);
    }

    private static void AssertClose(Tensor exact, Tensor single, string what)
    {
        double scale = exact.abs().max().item<double>();
        double error = (single.to(ScalarType.Float64) - exact).abs().max().item<double>() / scale;
        Assert.True(error < 1e-4, $"{what}: off by {error:G3} of its scale");
    }
}
