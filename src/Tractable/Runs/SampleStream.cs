using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>
/// Samples drawn batch by batch as they are read, so that a draw of any size holds one batch in memory at a time
/// (<see cref="ModelKind.Stream"/>): a writer writes each batch and lets it go.
/// </summary>
/// <param name="Batches">
/// The samples on the CPU, in order, one tensor per batch: vectors <c>[B, D]</c>, images <c>[B, C, H, W]</c> or
/// sequences <c>[B, T]</c>. Each belongs to the reader, who disposes it. Enumerate it once.
/// </param>
/// <param name="Count">Samples in all (for class-conditional grids, whole rows of classes).</param>
/// <param name="Output">What they are.</param>
/// <param name="PerRow">Samples per row of a picture (one row per class for class-conditional draws).</param>
/// <param name="Levels">Values per dimension of discrete samples (to scale images), else null.</param>
/// <param name="SampleRate">Samples per second of audio, else null.</param>
public sealed record SampleStream(IEnumerable<Tensor> Batches, long Count, SampleOutput Output, int PerRow, int? Levels = null, int? SampleRate = null);
