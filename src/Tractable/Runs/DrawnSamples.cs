using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>What a kind's samples are, for writing them out.</summary>
public enum SampleOutput
{
    /// <summary>Vectors <c>[N, D]</c> (a table, or a scatter plot in 2-D).</summary>
    Vectors,

    /// <summary>Images <c>[N, C, H, W]</c> of integer levels (a grid).</summary>
    Images,

    /// <summary>Sequences <c>[N, T]</c> of µ-law levels (audio).</summary>
    Audio,
}

/// <summary>Sampling settings a model kind uses beyond the count, seed and temperature every kind takes.</summary>
[Flags]
public enum SamplingFeatures
{
    /// <summary>Nothing beyond count, seed and temperature.</summary>
    None = 0,

    /// <summary>A cached fast sampler besides the naive one (<see cref="SampleRequest.Fast"/>).</summary>
    Fast = 1,

    /// <summary>Class-conditional draws, when the model was trained with classes (<see cref="SampleRequest.Class"/>).</summary>
    Classes = 2,

    /// <summary>A length in seconds (<see cref="SampleRequest.Seconds"/>).</summary>
    Duration = 4,
}

/// <summary>Samples drawn from a model, with what is needed to write them.</summary>
/// <param name="Values">The samples on the CPU: vectors <c>[N, D]</c>, images <c>[N, C, H, W]</c> or sequences <c>[N, T]</c>.</param>
/// <param name="Output">What they are.</param>
/// <param name="PerRow">Samples per row of a picture (one row per class for class-conditional draws).</param>
/// <param name="Levels">Values per dimension of discrete samples (to scale images), else null.</param>
/// <param name="SampleRate">Samples per second of audio, else null.</param>
/// <param name="Seconds">Wall-clock seconds the draw took.</param>
public sealed record DrawnSamples(Tensor Values, SampleOutput Output, int PerRow, int? Levels = null, int? SampleRate = null, double Seconds = 0);
