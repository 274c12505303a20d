using Tractable.IO;
using Tractable.Runtime;
using static TorchSharp.torch;

namespace Tractable.Data;

/// <summary>One split of a dataset: examples and, for labelled data, their class labels.</summary>
/// <param name="X">Examples <c>[N, ...EventShape]</c>.</param>
/// <param name="Labels">Class labels <c>[N]</c> (int64), or null.</param>
public sealed record Split(Tensor X, Tensor? Labels = null)
{
    /// <summary>Number of examples.</summary>
    public long Count => X.size(0);

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

    /// <summary>These examples in an order drawn from <paramref name="seed"/> (the same seed, the same order).</summary>
    public Split Shuffled(long seed)
    {
        using var g = new Generator((ulong)seed);
        Tensor order = randperm(Count, generator: g);
        return new Split(X.index_select(0, order), Labels?.index_select(0, order));
    }

    /// <summary>
    /// These examples shuffled by <paramref name="seed"/> and cut into train (80%), validation (10%) and test (10%);
    /// validation and test take the first tenths of the shuffled order. At least <see cref="MinimumToSplit"/> examples.
    /// </summary>
    public (Split Train, Split Validation, Split Test) ShuffledThreeWays(long seed)
    {
        if (Count < MinimumToSplit)
            throw new ArgumentOutOfRangeException(nameof(Count), Count, $"Splitting three ways needs at least {MinimumToSplit} examples.");
        Split s = Shuffled(seed);
        long tenth = Count / 10;
        Split Take(long start, long count) => new(s.X.narrow(0, start, count), s.Labels?.narrow(0, start, count));
        return (Take(2 * tenth, Count - 2 * tenth), Take(0, tenth), Take(tenth, tenth));
    }

    /// <summary>The fewest examples <see cref="ShuffledThreeWays"/> splits: one tenth must be at least one example.</summary>
    public const int MinimumToSplit = 10;
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
    public long[] EventShape => TensorSizes.Of(Train.X)[1..];

    /// <summary>Number of classes for labelled data, else 0.</summary>
    public int NumClasses { get; init; }

    /// <summary>The name of each class by label, where the data names them (the class folders of an image folder); else null.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

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

    /// <summary>
    /// One line for people: the name, the examples of each split, their shape, levels and classes, e.g.
    /// <c>images:pets: 1,600 train, 200 validation, 200 test; each [3, 32, 32], 256 levels; 2 classes: 0 cat, 1 dog</c>.
    /// </summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder(System.FormattableString.Invariant(
            $"{Name}: {Train.Count:N0} train, {Validation.Count:N0} validation, {Test.Count:N0} test; each [{string.Join(", ", EventShape)}]"));
        if (Levels is int levels) text.Append(System.FormattableString.Invariant($", {levels} levels"));
        if (NumClasses > 0) text.Append(System.FormattableString.Invariant($"; {NumClasses} classes"));
        if (ClassNames is { Count: > 0 } names)
            text.Append(": ").AppendJoin(", ", names.Take(20).Select((n, i) => $"{i} {n}")).Append(names.Count > 20 ? ", …" : "");
        return text.ToString();
    }

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
            FeatureNames = FeatureNames, ClassNames = ClassNames,
        };
    }

    /// <summary>The split called <paramref name="split"/> (read by <see cref="EnumNames"/>: <c>train</c>, <c>validation</c>, <c>test</c>).</summary>
    public Split Get(string split) => Get(EnumNames.Parse<SplitName>(split, "split"));
}
