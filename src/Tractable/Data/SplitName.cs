using Tractable.IO;

namespace Tractable.Data;

/// <summary>The three parts every dataset is split into.</summary>
public enum SplitName
{
    /// <summary>The examples a model is fitted to.</summary>
    Train,

    /// <summary>Held-out examples for model selection and early stopping.</summary>
    [EnumAlias("val"), EnumAlias("valid")] Validation,

    /// <summary>Held-out examples for the reported figures.</summary>
    Test,
}
