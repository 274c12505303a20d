using Tractable.IO;
using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Training;

/// <summary>
/// The generator of the random draws a training objective makes inside the model (dequantization noise, dropout
/// masks), with its state as bytes, so that a checkpoint saves it and a resumed run continues the very same stream.
/// The objective activates it around each forward pass (<see cref="Activate"/>; see <see cref="NoiseSource"/>).
/// </summary>
/// <remarks>
/// The other random draws of training come from the trainer's generator, which is reseeded from (seed, step) before
/// every step, so that the batches (<see cref="MaximumLikelihood"/>), crops (<see cref="SequenceMaximumLikelihood"/>)
/// and flow samples (<see cref="ReverseKl"/>) of a step are the same in a resumed run without any saved state.
/// </remarks>
public sealed class TrainingRandomness : IDisposable
{
    /// <summary>A generator seeded with <paramref name="seed"/> on <paramref name="device"/> (CPU by default).</summary>
    public TrainingRandomness(long seed = 0, Device? device = null) => Generator = new Generator((ulong)seed, device);

    /// <summary>The generator.</summary>
    public Generator Generator { get; }

    /// <summary>Restarts the stream from <paramref name="seed"/>.</summary>
    public void Reseed(long seed) => Generator.manual_seed(seed);

    /// <summary>Restarts the stream from a seed drawn from <paramref name="source"/> (the trainer's generator at the start of a run).</summary>
    public void Reseed(Generator source)
    {
        using Tensor seed = randint(0, long.MaxValue, [1], dtype: int64, device: source.device, generator: source);
        Reseed(seed.cpu().item<long>());
    }

    /// <summary>Makes the forward passes on this thread draw from this generator until the returned scope is disposed.</summary>
    public IDisposable Activate() => NoiseSource.Use(Generator);

    /// <summary>The generator's state (for a CPU generator, the 5,056 bytes of its Mersenne Twister).</summary>
    public byte[] GetState()
    {
        using Tensor state = Generator.get_state();
        return state.cpu().data<byte>().ToArray();
    }

    /// <summary>Restores a state returned by <see cref="GetState"/>; a state of the wrong size is an <see cref="ArgumentException"/>.</summary>
    public void SetState(byte[] state)
    {
        int expected = GetState().Length;
        if (state.Length != expected)
            throw new ArgumentException($"A generator state of this kind has {expected} bytes, got {state.Length}.", nameof(state));
        using Tensor t = tensor(state, dtype: uint8);
        Generator.set_state(t);
    }

    /// <summary>Writes the state to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllBytes(path, GetState());

    /// <summary>Restores the state saved at <paramref name="path"/>; a file of the wrong size is a <see cref="CorruptFileException"/>.</summary>
    public void Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Generator state not found: {path}", path);
        byte[] state = File.ReadAllBytes(path);
        try
        {
            SetState(state);
        }
        catch (Exception e) when (e is ArgumentException or System.Runtime.InteropServices.ExternalException)
        {
            throw new CorruptFileException(path, $"not a generator state ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Generator.Dispose();
}
