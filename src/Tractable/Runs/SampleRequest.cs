namespace Tractable.Runs;

/// <summary>What to draw from a trained model.</summary>
public sealed record SampleRequest
{
    /// <summary>Number of samples (for class-conditional grids, rounded up to whole rows of classes).</summary>
    public long Count { get; init; } = 1;

    /// <summary>Seed of the draw; the same seed gives the same samples.</summary>
    public long Seed { get; init; }

    /// <summary>Scale of the base noise (flows) or softmax temperature (autoregressive models).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Autoregressive models: cached per-layer generation (true) or one full pass per step.</summary>
    public bool Fast { get; init; } = true;

    /// <summary>Class-conditional models: draw only this class (null: one row per class).</summary>
    public int? Class { get; init; }

    /// <summary>Sequence models: seconds of audio to generate.</summary>
    public double Seconds { get; init; } = 2;

    /// <summary>Called with the steps done and the steps in all, for progress displays.</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>Checks the settings every draw shares, so that a bad one is refused before anything is drawn.</summary>
    /// <exception cref="InvalidSettingException">A count below 1, or a temperature or length that is not positive and finite.</exception>
    public void Validate()
    {
        if (Count < 1) throw new InvalidSettingException("count", $"The number of samples must be at least 1, got {Count}.");
        if (!(Temperature > 0) || !double.IsFinite(Temperature))
            throw new InvalidSettingException("temperature", $"The temperature must be positive and finite, got {Temperature}.");
        if (!(Seconds > 0) || !double.IsFinite(Seconds))
            throw new InvalidSettingException("seconds", $"The audio length must be positive and finite, got {Seconds} s.");
    }
}
