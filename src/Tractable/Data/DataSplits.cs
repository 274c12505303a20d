using Tractable.IO;
using static TorchSharp.torch;

namespace Tractable.Data;

/// <summary>One split of a dataset: examples and, for labelled data, their class labels.</summary>
/// <param name="X">Examples <c>[N, ...EventShape]</c>.</param>
/// <param name="Labels">Class labels <c>[N]</c> (int64), or null.</param>
public sealed record Split(Tensor X, Tensor? Labels = null)
{
    /// <summary>Number of examples.</summary>
    public long Count => X.shape[0];

    /// <summary>
    /// The index of this part's first example in the split it was cut from; 0 for a whole split. Evaluation gives each
    /// example the noise of its index (<see cref="Evaluation.Evaluator"/>), so that a part scored on its own (one
    /// process's share of a split) gets the noise that scoring the whole split gives it.
    /// </summary>
    public long FirstIndex { get; init; }

    /// <summary>The first <paramref name="count"/> examples (all of them when there are fewer).</summary>
    public Split Take(long count) =>
        count >= Count ? this : this with { X = X.narrow(0, 0, count), Labels = Labels?.narrow(0, 0, count) };

    /// <summary>This split cut in two: all but the last <paramref name="count"/> examples, and those (e.g. a validation split held out of a training set).</summary>
    public (Split First, Split Last) HoldOutLast(long count)
    {
        if (count < 1 || count >= Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Holding out needs between 1 and {Count - 1} of the {Count} examples.");
        long kept = Count - count;
        return (new Split(X.narrow(0, 0, kept), Labels?.narrow(0, 0, kept)), new Split(X.narrow(0, kept, count), Labels?.narrow(0, kept, count)));
    }
}

/// <summary>A dataset with train, validation and test splits and what is known about it.</summary>
public sealed class DataSplits
{
    /// <summary>Creates the splits.</summary>
    public DataSplits(string name, Split train, Split validation, Split test)
    {
        Name = name;
        Train = train;
        Validation = validation;
        Test = test;
        foreach (SplitName label in Enum.GetValues<SplitName>())
        {
            Split split = Get(label);
            if (split.Count == 0) throw new DataFormatException($"{name}: the {EnumNames.NameOf(label)} split is empty.");
            if (!isfinite(split.X).all().item<bool>())
                throw new DataFormatException($"{name}: the {EnumNames.NameOf(label)} split contains NaN or infinite values.");
        }
    }

    /// <summary>The dataset's name as given on the command line.</summary>
    public string Name { get; }

    /// <summary>Training examples.</summary>
    public Split Train { get; }

    /// <summary>Validation examples (early stopping, model selection).</summary>
    public Split Validation { get; }

    /// <summary>Held-out test examples.</summary>
    public Split Test { get; }

    /// <summary>The shape of one example.</summary>
    public long[] EventShape => Train.X.shape[1..];

    /// <summary>Number of classes for labelled data, else 0.</summary>
    public int NumClasses { get; init; }

    /// <summary>The true log-density in nats, for synthetic data whose density is known in closed form.</summary>
    public Func<Tensor, Tensor>? TrueLogProb { get; init; }

    /// <summary>For discrete data, the number of values each dimension takes (256 for 8-bit pixels, 2 for binary); else null.</summary>
    public int? Levels { get; init; }

    /// <summary>Whether the data is discrete (then bits/dim is reported).</summary>
    public bool IsDiscrete => Levels is not null;

    /// <summary>Whether models should standardize this data by default (real tables: yes; toy 2D data: no).</summary>
    public bool StandardizeByDefault { get; init; }

    /// <summary>The names of the features of a table (from its header, else <c>x1</c>…<c>xD</c>), or null where they have none.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>The split <paramref name="split"/>.</summary>
    public Split Get(SplitName split) => split switch
    {
        SplitName.Train => Train,
        SplitName.Validation => Validation,
        SplitName.Test => Test,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Not a split."),
    };

    /// <summary>
    /// These splits with validation and test cut to their first <paramref name="limit"/> examples: quicker figures on
    /// a sample of the held-out data, for models whose evaluation is slow.
    /// </summary>
    public DataSplits WithHeldOutLimit(long limit)
    {
        if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "At least one held-out example is needed.");
        return new DataSplits(Name, Train, Validation.Take(limit), Test.Take(limit))
        {
            NumClasses = NumClasses, TrueLogProb = TrueLogProb, Levels = Levels, StandardizeByDefault = StandardizeByDefault,
            FeatureNames = FeatureNames,
        };
    }

    /// <summary>The split called <paramref name="split"/> (read by <see cref="EnumNames"/>: <c>train</c>, <c>validation</c>, <c>test</c>).</summary>
    public Split Get(string split) => Get(EnumNames.Parse<SplitName>(split, "split"));
}
