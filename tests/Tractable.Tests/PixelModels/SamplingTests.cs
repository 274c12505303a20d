using Tractable.Models;
using Tractable.Models.Pixel;
using Tractable.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Tests.PixelModels;

/// <summary>The fast (cached) samplers draw exactly the images of the naive one-pass-per-pixel loop.</summary>
public sealed class SamplingTests
{
    [Theory]
    [MemberData(nameof(PixelModelCases.Names), MemberType = typeof(PixelModelCases))]
    public void NaiveAndFastSamplingAreIdentical(string name)
    {
        PixelModelConfig config = PixelModelCases.All[name];
        var model = (PixelAutoregressiveModel)config.Build();
        Jacobian.Randomize(model, 0.3, seed: 4);
        Tensor? context = model is IClassConditional { NumClasses: > 0 } conditional
            ? model.ContextFromLabels(arange(conditional.NumClasses).repeat(2))
            : null;
        Tensor naive, fast;
        using (var g = new Generator(7)) naive = model.Sample(4, context, g, 1.0, fast: false);
        using (var g = new Generator(7)) fast = model.Sample(4, context, g, 1.0, fast: true);
        Assert.Equal([context?.shape[0] ?? 4, config.Colours, config.Height, config.Width], naive.shape);
        Assert.True(naive.eq(fast).all().item<bool>(), $"{name}: naive and fast samples differ in {(naive != fast).sum().item<long>()} sub-pixels");
        Assert.True(naive.ge(0).all().item<bool>() && naive.lt(config.Levels).all().item<bool>());
        Assert.True(naive.eq(naive.round()).all().item<bool>());
    }

    [Fact]
    public void SamplingIsReproducibleAndVariesWithTheSeed()
    {
        var model = (PixelAutoregressiveModel)PixelModelCases.All["gated-binary"].Build();
        Jacobian.Randomize(model, 0.3, seed: 4);
        Tensor Draw(ulong seed)
        {
            using var g = new Generator(seed);
            return model.Sample(3, generator: g);
        }
        Assert.True(Draw(1).eq(Draw(1)).all().item<bool>());
        Assert.False(Draw(1).eq(Draw(2)).all().item<bool>());
    }
}
