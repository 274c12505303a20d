namespace Tractable.Runs;

/// <summary>What a run is fitted to; a model kind accepts one or more of these.</summary>
[Flags]
public enum DataKind
{
    /// <summary>Independent examples (vectors, tables, images), fitted by maximum likelihood.</summary>
    Examples = 1,

    /// <summary>Long sequences (audio) cut into crops, scored sample by sample.</summary>
    Sequences = 2,

    /// <summary>An unnormalized energy, fitted by reverse KL (no data).</summary>
    Energy = 4,
}
