using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>The context of a class-conditional model: the one-hot label (Gated PixelCNN's <c>h</c>, WaveNet's global conditioning, a conditional flow's context).</summary>
public static class ClassContext
{
    /// <summary>
    /// The one-hot rows <c>[B, classes]</c> of <paramref name="labels"/> <c>[B]</c> in <paramref name="dtype"/>, or null
    /// for a model without classes (<paramref name="classes"/> = 0).
    /// </summary>
    public static Tensor? OneHot(Tensor labels, int classes, ScalarType dtype)
    {
        if (classes == 0) return null;
        Tensor index = labels.to(int64);
        if (index.numel() > 0 && (index.min().item<long>() < 0 || index.max().item<long>() >= classes))
            throw new ArgumentException($"Class labels must lie in 0..{classes - 1}; got labels from {index.min().item<long>()} to {index.max().item<long>()}.", nameof(labels));
        return nn.functional.one_hot(index, classes).to(dtype);
    }
}
