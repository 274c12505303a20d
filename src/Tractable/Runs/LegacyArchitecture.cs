using System.Globalization;

namespace Tractable.Runs;

/// <summary>
/// The architecture block of <c>run.json</c> files written before model kinds had options of their own; each field is
/// the model option of the same meaning, so such runs resume with the configuration they started with.
/// </summary>
public sealed record LegacyArchitecture
{
    /// <summary>Option <c>layers</c>.</summary>
    public int? Layers { get; init; }

    /// <summary>Option <c>hidden</c>.</summary>
    public int? HiddenFeatures { get; init; }

    /// <summary>Option <c>hidden-layers</c>.</summary>
    public int? HiddenLayers { get; init; }

    /// <summary>Option <c>batch-norm</c>.</summary>
    public bool? BatchNorm { get; init; }

    /// <summary>Option <c>activation</c>.</summary>
    public string? Activation { get; init; }

    /// <summary>Option <c>conditional</c>.</summary>
    public bool? Conditional { get; init; }

    /// <summary>Option <c>dropout</c>.</summary>
    public double? Dropout { get; init; }

    /// <summary>Option <c>components</c>.</summary>
    public int? Components { get; init; }

    /// <summary>Option <c>order</c>.</summary>
    public string? Order { get; init; }

    /// <summary>The settings that were given, as model options.</summary>
    public IEnumerable<(string Name, string Value)> AsOptions()
    {
        static string Text(IFormattable v) => v.ToString(null, CultureInfo.InvariantCulture);
        if (Layers is int layers) yield return ("layers", Text(layers));
        if (HiddenFeatures is int hidden) yield return ("hidden", Text(hidden));
        if (HiddenLayers is int hiddenLayers) yield return ("hidden-layers", Text(hiddenLayers));
        if (BatchNorm is bool batchNorm) yield return ("batch-norm", batchNorm ? "true" : "false");
        if (Activation is not null) yield return ("activation", Activation);
        if (Conditional is bool conditional) yield return ("conditional", conditional ? "true" : "false");
        if (Dropout is double dropout) yield return ("dropout", Text(dropout));
        if (Components is int components) yield return ("components", Text(components));
        if (Order is not null) yield return ("order", Order);
    }
}
