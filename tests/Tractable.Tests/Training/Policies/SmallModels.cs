using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Tests.Training.Policies;

/// <summary>A tiny flow and the weight edits the policy tests make on it.</summary>
internal static class SmallModels
{
    /// <summary>A two-coupling RealNVP on 2 features (random weights: no seed, as no test depends on their values).</summary>
    public static DensityModel Flow() => new RealNvpConfig { Features = 2, Couplings = 2, HiddenFeatures = 8 }.Build();

    /// <summary>Moves every trainable weight by <paramref name="by"/>, as an optimizer step would move it.</summary>
    public static void Shift(nn.Module model, double by)
    {
        using var _ = no_grad();
        foreach (var p in model.parameters()) p.add_(by);
    }

    /// <summary>All trainable weights, flattened.</summary>
    public static float[] Weights(nn.Module model) => model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
}
