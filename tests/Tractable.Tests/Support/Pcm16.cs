using Tractable.Data.Audio;

namespace Tractable.Tests.Support;

/// <summary>Audio written as 16-bit PCM sample values, the way most recordings hold it.</summary>
public static class Pcm16
{
    /// <summary>The [−1, 1] audio of 16-bit <paramref name="samples"/> (each <c>s / 32768</c>) at <paramref name="rate"/>.</summary>
    public static WavAudio Audio(IEnumerable<short> samples, int rate) => new(samples.Select(s => s / 32768f).ToArray(), rate);
}
