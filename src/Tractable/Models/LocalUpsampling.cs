namespace Tractable.Models;

/// <summary>How WaveNet brings local conditioning frames to the audio rate (<see cref="Networks.WaveNet.LocalUpsampler"/>).</summary>
public enum LocalUpsampling
{
    /// <summary>Each frame repeated hop times.</summary>
    Repeat,
    /// <summary>A learned transposed convolution with kernel and stride hop.</summary>
    Transposed,
}
