using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Training;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>
/// What a run is fitted to: examples (<see cref="ExampleData"/>), a sequence stream (<see cref="SequenceData"/>) or an
/// energy (<see cref="EnergyData"/>). Each knows the objective that fits a model to it and how to score a model on it.
/// </summary>
public abstract class RunData
{
    /// <summary>The dataset or energy's name, as outputs show it.</summary>
    public abstract string Name { get; }

    /// <summary>Which kind of data this is.</summary>
    public abstract DataKind Kind { get; }

    /// <summary>What a model needs to know about the data.</summary>
    public abstract DataShape Shape { get; }

    /// <summary>
    /// The test split's size over the validation split's: about how many validations the final evaluation on the test
    /// split takes.
    /// </summary>
    public virtual double TestToValidationRatio => 1;

    /// <summary>The names of the features of a table, or null where the data has none.</summary>
    public virtual IReadOnlyList<string>? FeatureNames => null;

    /// <summary>The objective that fits a model to this data (maximum likelihood, or reverse KL for an energy).</summary>
    public abstract ITrainingObjective CreateObjective(RunSpec spec, Device device);

    /// <summary>
    /// Scores <paramref name="model"/> on <paramref name="split"/>: the figures of <paramref name="header"/> (model, data,
    /// training) completed with this kind of data's likelihood figures, in batches of <paramref name="batchSize"/>
    /// examples (null: the evaluator's default).
    /// </summary>
    public abstract RunMetrics Evaluate(DensityModel model, SplitName split, Device device, RunMetrics header, int? batchSize = null);
}
