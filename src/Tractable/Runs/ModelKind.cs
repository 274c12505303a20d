using System.Diagnostics;
using Tractable.Data;
using Tractable.Evaluation;
using Tractable.Models;
using Tractable.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Runs;

/// <summary>
/// One family of models as a whole, from name to samples: its configuration type, the options a user may set, the
/// data it accepts, its training defaults, objective and evaluation, and how it samples. The
/// <see cref="ModelRegistry"/> lists every kind; front ends (the CLI, an app) work through kinds only, never through
/// concrete model classes, so adding a model is a kind, its configuration and one registry line.
/// </summary>
public abstract class ModelKind
{
    /// <summary>The kind's name (<c>realnvp</c>, <c>gated-pixelcnn</c>).</summary>
    public abstract string Name { get; }

    /// <summary>One line on what the model is, with its paper.</summary>
    public abstract string Summary { get; }

    /// <summary>The configuration type it builds (<c>model.json</c> holds one).</summary>
    public abstract Type ConfigType { get; }

    /// <summary>The <c>model</c> name that <c>model.json</c> files of <see cref="ConfigType"/> carry (kinds sharing a type share it).</summary>
    public virtual string ConfigName => Name;

    /// <summary>The data it can be fitted to.</summary>
    public abstract DataKind Accepts { get; }

    /// <summary>The options a user may set, each with its help and default.</summary>
    public abstract IReadOnlyList<ModelOption> Options { get; }

    /// <summary>Sampling settings beyond count, seed and temperature.</summary>
    public virtual SamplingFeatures Sampling => SamplingFeatures.None;

    /// <summary>A typical data shape for this kind, for showing its defaults before any data is loaded.</summary>
    public abstract DataShape TypicalData { get; }

    /// <summary>The configuration for <paramref name="data"/> with no option set.</summary>
    public abstract ModelConfig DefaultConfig(DataShape data);

    /// <summary>The training settings used where the user sets none, for <paramref name="data"/>.</summary>
    public virtual TrainingDefaults Defaults(DataShape data) => TrainingDefaults.Standard;

    /// <summary>
    /// The fewest samples a held-out sequence must hold to be scored with the context the model has: a sequence
    /// model's receptive field with <paramref name="options"/> set (0 for models of independent examples). Known
    /// before any data is read, since data loading needs it.
    /// </summary>
    public virtual int ReceptiveField(IReadOnlyDictionary<string, string> options) => 0;

    /// <summary>The option called <paramref name="name"/>, or null.</summary>
    public ModelOption? FindOption(string name) =>
        Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The configuration for <paramref name="data"/> with <paramref name="options"/> (option name → value text) applied;
    /// an option this kind does not have, or a bad value, is an <see cref="InvalidSettingException"/>.
    /// </summary>
    public ModelConfig CreateConfig(DataShape data, IReadOnlyDictionary<string, string>? options = null)
    {
        ModelConfig config = DefaultConfig(data);
        foreach (var (name, text) in options ?? new Dictionary<string, string>())
        {
            ModelOption option = FindOption(name) ?? throw new InvalidSettingException(name,
                $"Model '{Name}' has no option '{name}'; its options are: {string.Join(", ", Options.Select(o => o.Name))}.");
            config = option.Apply(config, text, data);
        }
        return config;
    }

    /// <summary>Checks that this kind can be fitted to <paramref name="data"/>, with an error that says what fits instead.</summary>
    public void CheckData(RunData data)
    {
        if (Accepts.HasFlag(data.Kind)) return;
        string fits = string.Join(", ", ModelRegistry.Kinds.Where(k => k.Accepts.HasFlag(data.Kind)).Select(k => k.Name));
        throw new InvalidSettingException("data", data.Kind switch
        {
            DataKind.Energy => $"'{data.Name}' is an energy, fitted by reverse KL, which model '{Name}' cannot be; models that can: {fits}.",
            DataKind.Sequences => $"'{data.Name}' is audio, which model '{Name}' does not model; models that do: {fits}.",
            _ => $"Model '{Name}' is not fitted to a dataset of examples ({DescribeAccepted()}); models that are: {fits}.",
        });
    }

    /// <summary>A line on the built model worth showing before training (e.g. a receptive field), or null.</summary>
    public virtual string? Describe(ModelConfig config) => null;

    /// <summary>The objective that fits this kind to <paramref name="data"/> (the data's own by default: maximum likelihood or reverse KL).</summary>
    public virtual ITrainingObjective CreateObjective(RunData data, RunSpec spec, Device device) => data.CreateObjective(spec, device);

    /// <summary>
    /// Scores <paramref name="model"/> on <paramref name="split"/> of <paramref name="data"/>, in the evaluation batches of
    /// this kind's defaults; <paramref name="header"/> carries the run's figures.
    /// </summary>
    public virtual RunMetrics Evaluate(DensityModel model, RunData data, SplitName split, Device device, RunMetrics header) =>
        data.Evaluate(model, split, device, header, Defaults(data.Shape).Trainer.EvaluationBatchSize);

    /// <summary>
    /// About how many validations <see cref="Evaluate"/> on the test split takes, so that a run's time limit keeps that
    /// time free: by default the test split's size over the validation split's.
    /// </summary>
    public virtual double FinalEvaluationCost(RunData data, ModelConfig config) => data.TestToValidationRatio;

    /// <summary>What this kind's samples are, for a model of <paramref name="config"/>.</summary>
    public virtual SampleOutput OutputOf(ModelConfig config) =>
        config.EventShape.Length == 3 ? SampleOutput.Images : SampleOutput.Vectors;

    /// <summary>
    /// Samples per batch of a draw (<see cref="Stream"/>) from a model of <paramref name="config"/>: 256 images, or
    /// 10,000 vectors. The batches are part of what a seed means (<see cref="BatchSeed"/>), so a kind's batch size
    /// depends on its configuration only, never on the size of the draw.
    /// </summary>
    public virtual int SamplingBatch(ModelConfig config) => config.EventShape.Length == 3 ? 256 : 10_000;

    /// <summary>
    /// The seed of the generator of batch <paramref name="index"/> of a draw seeded with <paramref name="seed"/>: the
    /// seed itself for the first batch, so that a draw that fits in one batch is the draw of one generator seeded with
    /// it; a SplitMix64 mix of the two for the others, so that no two batches share a stream.
    /// </summary>
    public static long BatchSeed(long seed, long index)
    {
        if (index == 0) return seed;
        ulong z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)index);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (long)((z ^ (z >> 31)) & long.MaxValue);
    }

    /// <summary>
    /// Draws samples from <paramref name="model"/> batch by batch as the result is read (one row per class for a
    /// class-conditional model unless a class is asked for), without gradients. The settings are checked now; each batch
    /// is drawn when it is read, with a generator of its own (<see cref="BatchSeed"/>), so that the samples of every
    /// whole batch (<see cref="SamplingBatch"/>) depend only on the seed and the batch's place, never on how many
    /// batches are drawn or how they are read; a last batch that is not whole is drawn at its own size.
    /// <see cref="SampleRequest.Progress"/> hears of each batch.
    /// </summary>
    public virtual SampleStream Stream(DensityModel model, SampleRequest request, Device device)
    {
        request.Validate();
        int classes = (model as IClassConditional)?.NumClasses ?? 0;
        if (request.Class is not null && classes == 0)
            throw new InvalidSettingException("class", $"This '{Name}' model was trained without classes, so it cannot draw a given class.");
        if (request.Class is int k && (k < 0 || k >= classes))
            throw new InvalidSettingException("class", $"The class must be in 0..{classes - 1}, got {k}.");
        long n = request.Count;
        int perRow = classes > 0 && request.Class is null ? (int)((n + classes - 1) / classes) : (int)Math.Ceiling(Math.Sqrt(n));
        if (classes > 0 && request.Class is null) n = (long)classes * perRow;
        return new SampleStream(Batches(model, request, device, n, classes, perRow), n, OutputOf(model.Config), perRow, model.Config.DiscreteLevels);
    }

    /// <summary>
    /// Draws all the samples of <paramref name="request"/> at once (<see cref="Stream"/>'s batches joined), on the CPU
    /// when done: for pictures and other uses that need them together.
    /// </summary>
    public DrawnSamples Draw(DensityModel model, SampleRequest request, Device device)
    {
        var clock = Stopwatch.StartNew();
        SampleStream stream = Stream(model, request, device);
        List<Tensor> batches = stream.Batches.ToList();
        Tensor values = batches.Count == 1 ? batches[0] : cat(batches, 0);
        if (batches.Count > 1) batches.ForEach(b => b.Dispose());
        return new DrawnSamples(values, stream.Output, stream.PerRow, stream.Levels, stream.SampleRate, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The batches of a draw of <paramref name="n"/> samples; each batch's scope is closed before it is handed on.</summary>
    private IEnumerable<Tensor> Batches(DensityModel model, SampleRequest request, Device device, long n, int classes, int perRow)
    {
        long size = SamplingBatch(model.Config);
        for (long start = 0, index = 0; start < n; start += size, index++)
        {
            long count = Math.Min(size, n - start);
            Tensor values;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                using var generator = new Generator((ulong)BatchSeed(request.Seed, index), device);
                Tensor? context = classes > 0 ? model.ContextFromLabels(ClassLabels.ForRows(perRow, request.Class, start, count).to(device)) : null;
                values = DrawValues(model, count, context, generator, request).cpu().MoveToOuterDisposeScope();
            }
            request.Progress?.Invoke(start + count, n);
            yield return values;
        }
    }

    /// <summary><paramref name="n"/> samples of <paramref name="model"/> (one per context row when a context is given).</summary>
    protected virtual Tensor DrawValues(DensityModel model, long n, Tensor? context, Generator generator, SampleRequest request) =>
        model.Sample(n, context, generator, request.Temperature);

    private string DescribeAccepted() => string.Join(" or ", Enum.GetValues<DataKind>().Where(k => Accepts.HasFlag(k)).Select(k => k switch
    {
        DataKind.Energy => "it is fitted to energies by reverse KL",
        DataKind.Sequences => "it models audio",
        _ => "it models examples",
    }));
}
