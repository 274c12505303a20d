namespace Tractable.Runs;

/// <summary>What a model kind needs to know about the data it will be fitted to.</summary>
/// <param name="EventShape">The shape of one example (<c>[D]</c> for vectors, <c>[C, H, W]</c> for images, <c>[T]</c> for sequence crops).</param>
/// <param name="NumClasses">Number of classes of labelled data (0 for none).</param>
/// <param name="Levels">Values per dimension of discrete data (256, 2), or null for continuous data.</param>
/// <param name="Standardize">Whether to standardize inside the model by default (tables).</param>
/// <param name="SampleRate">Samples per second of audio data, else null.</param>
public sealed record DataShape(long[] EventShape, int NumClasses = 0, int? Levels = null, bool Standardize = false, int? SampleRate = null)
{
    /// <summary>The number of dimensions of one example.</summary>
    public int Features => (int)EventShape.Aggregate(1L, (a, b) => a * b);
}
