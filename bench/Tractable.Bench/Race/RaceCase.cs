using Tractable.Models;
using Tractable.Models.Pixel;
using static TorchSharp.torch;

namespace Tractable.Bench.Race;

/// <summary>
/// One architecture of the race: the Tractable model, the name of its PyTorch twin in <c>bench/peer/models.py</c>, a
/// batch of data and the rows measured. A row is <c>kind:batch</c> with kind <c>train</c>, <c>density</c>,
/// <c>sample</c>, <c>generate-fast</c> or <c>generate-naive</c> (the peer's names).
/// </summary>
/// <param name="Name">The case's name, also the peer's case.</param>
/// <param name="Description">What is raced.</param>
/// <param name="Build">Builds the model (with any data-dependent initialization done).</param>
/// <param name="Data">A batch of <c>n</c> examples.</param>
/// <param name="Rows">The rows, in order.</param>
public sealed record RaceCase(string Name, string Description, Func<DensityModel> Build, Func<long, Tensor> Data, string[] Rows)
{
    /// <summary>Samples generated per sequence by one call of a <c>generate-fast</c> / <c>generate-naive</c> row (as the peer).</summary>
    public static long GeneratedSamples(string kind) => kind == "generate-fast" ? 1024 : 32;

    private static Tensor Vectors(long n) => randn(n, 8);

    private static Tensor Pixels(long n) => randint(0, 256, [n, 1, 28, 28]).to(float32);

    private static DensityModel Glow(CouplingLayout layout)
    {
        DensityModel model = new GlowConfig { ImageShape = [1, 28, 28], Levels = 2, StepsPerLevel = 8, HiddenChannels = 256, CouplingLayout = layout }.Build();
        model.InitializeFromData(Pixels(64));
        return model;
    }

    private static readonly PixelCnnConfig PixelImage = new() { Height = 28, Width = 28, Levels = 256, OutputChannels = 64 };

    /// <summary>The five reference architectures, and the library's defaults where they differ from the reference.</summary>
    public static IReadOnlyList<RaceCase> All { get; } =
    [
        new("realnvp", "RealNVP D=8, 8 affine couplings, MLP 2x256",
            () => new RealNvpConfig { Features = 8, Couplings = 8, HiddenFeatures = 256, HiddenLayers = 2 }.Build(), Vectors,
            ["train:64", "train:256", "density:256", "sample:256"]),
        new("maf", "MAF D=8, 5 MADE 2x512, order reversed between layers",
            () => new MafConfig { Features = 8, Layers = 5, HiddenFeatures = 512, HiddenLayers = 2 }.Build(), Vectors,
            ["train:64", "train:256", "density:256", "sample:256"]),
        new("glow", "Glow 1x28x28, L=2, K=8, hidden 256, coupling reads C/2 writes C (paper; CouplingLayout.Split)",
            () => Glow(CouplingLayout.Split), Pixels, ["train:64", "density:64", "sample:64"]),
        new("glow-masked", "Glow as above with the masked coupling (reads C, writes 2C; CouplingLayout.Masked)",
            () => Glow(CouplingLayout.Masked), Pixels, ["train:64", "density:64", "sample:64"]),
        new("pixelcnn", "PixelCNN 1x28x28, 256-way softmax: 7x7 mask-A to 64 ch, 10 blocks x + conv3x3_B(relu x), head 64 (reference)",
            () => new ReferencePixelCnn(PixelImage, channels: 64, blockCount: 10), Pixels, ["train:64", "density:64", "sample:16"]),
        new("pixelcnn-bottleneck", "PixelCNN as above with the library's bottleneck block 64->32->32->64 (PixelCnnConfig)",
            () => (PixelImage with { Channels = 32, Blocks = 10 }).Build(), Pixels, ["train:64", "density:64", "sample:16"]),
        new("wavenet", "WaveNet 10 layers (dilations 1..512), 64 residual and skip channels, crops of 1,025",
            () => new WaveNetConfig { Stacks = 1, MaxDilation = 512, ResidualChannels = 64, SkipChannels = 64, SegmentLength = 1025 }.Build(),
            n => randint(0, 256, [n, 1025]).to(float32),
            ["train:16", "density:16", "generate-naive:1", "generate-fast:1", "generate-fast:16"]),
    ];
}
