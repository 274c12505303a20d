using Tractable.IO;

namespace Tractable.Data;

/// <summary>The splits of a dataset.</summary>
public enum SplitName
{
    /// <summary>What the model is fitted to.</summary>
    Train,
    /// <summary>What early stopping and model selection look at.</summary>
    [EnumAlias("val")]
    [EnumAlias("valid")]
    Validation,
    /// <summary>Held out for the final figures.</summary>
    Test,
}
