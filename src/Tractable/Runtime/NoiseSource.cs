using static TorchSharp.torch;

namespace Tractable.Runtime;

/// <summary>
/// The generator that random draws inside a model's forward pass come from: dequantization noise and dropout masks.
/// A training objective sets its <see cref="Training.TrainingRandomness"/> around every loss, and evaluation a
/// generator of fixed seed, so that both are reproducible and a resumed run draws exactly what an uninterrupted one
/// would. Outside any <see cref="Use"/>, draws come from the global generator, as in PyTorch.
/// </summary>
/// <remarks>
/// The source is per thread, like TorchSharp's dispose scopes: a forward pass runs on the thread that set it.
/// Threading a generator through every <c>LogProb</c> would change the signature of every layer for the two that draw.
/// </remarks>
public static class NoiseSource
{
    [ThreadStatic] private static Generator? current;

    /// <summary>The generator in use on this thread, or null for the global one.</summary>
    public static Generator? Current => current;

    /// <summary>Draws from <paramref name="generator"/> on this thread until the returned scope is disposed.</summary>
    public static IDisposable Use(Generator generator)
    {
        Generator? previous = current;
        current = generator;
        return new Scope(previous);
    }

    /// <summary>Uniform noise in [0, 1) with the shape, type and device of <paramref name="like"/>, from <see cref="Current"/>.</summary>
    public static Tensor Uniform(Tensor like)
    {
        Generator? g = current;
        Device device = g?.device ?? like.device;
        Tensor u = rand(like.shape, dtype: like.dtype, device: device, generator: g);
        return device.type == like.device.type && device.index == like.device.index ? u : u.to(like.device);
    }

    private sealed class Scope(Generator? previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            current = previous;
        }
    }
}
