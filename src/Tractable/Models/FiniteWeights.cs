using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>Checks that a model's parameters and buffers hold only finite numbers.</summary>
public static class FiniteWeights
{
    /// <summary>The names of <paramref name="model"/>'s floating-point parameters and buffers that hold NaN or infinity.</summary>
    public static IReadOnlyList<string> NonFinite(nn.Module model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return model.state_dict()
            .Where(kv => kv.Value.is_floating_point() && !isfinite(kv.Value).all().item<bool>())
            .Select(kv => kv.Key)
            .ToList();
    }

    /// <summary>
    /// Throws a <see cref="NonFiniteWeightsException"/> naming <paramref name="source"/> (the file the weights came
    /// from) and the first tensors when <paramref name="model"/> holds NaN or infinite values.
    /// </summary>
    public static void Ensure(nn.Module model, string source)
    {
        IReadOnlyList<string> bad = NonFinite(model);
        if (bad.Count == 0) return;
        string names = string.Join(", ", bad.Take(3)) + (bad.Count > 3 ? $" and {bad.Count - 3} more" : "");
        throw new NonFiniteWeightsException(
            $"{source}: the weights hold NaN or infinite values (in {names}); a model with them gives NaN likelihoods and samples. The run that wrote it diverged: train it again, e.g. with a lower learning rate.");
    }
}
