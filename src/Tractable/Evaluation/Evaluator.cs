using Tractable.Data;
using Tractable.Models;
using Tractable.Runtime;
using Tractable.Transforms.Preprocessing;
using static TorchSharp.torch;

namespace Tractable.Evaluation;

/// <summary>A mean over examples with its standard error.</summary>
/// <param name="Mean">The mean.</param>
/// <param name="StandardError">The standard error of the mean.</param>
/// <param name="Count">Number of examples.</param>
public readonly record struct MeanEstimate(double Mean, double StandardError, long Count);

/// <summary>
/// Computes likelihood figures in batches, without gradients, in a dispose scope per batch. Random draws inside the
/// model (dequantization noise) come from a generator of fixed seed (<see cref="NoiseSeed"/>): the same model on the
/// same split always gets the same figure, and validating during training leaves every training generator untouched.
/// </summary>
/// <remarks>
/// On the CPU the generator draws one value after another, so example <c>i</c> of a split gets values
/// <c>[i·D, (i+1)·D)</c> of the stream, D values per example, whatever the batch size. A part of a split
/// (<see cref="Split.FirstIndex"/> &gt; 0, one process's share) starts past the values of the examples before it, and
/// so gets the noise that scoring the whole split gives it. CUDA's generator counts draws per call, not per value:
/// there a part gets noise of the same distribution, not the same noise.
/// </remarks>
public static class Evaluator
{
    /// <summary>Examples per model pass when none is given.</summary>
    public const int DefaultBatchSize = 2048;

    /// <summary>The seed of the noise inside the model during evaluation.</summary>
    public const long NoiseSeed = 0x5EED;

    /// <summary>The per-example negative log-likelihood (nats) of a split.</summary>
    public static MeanEstimate NegativeLogLikelihood(DensityModel model, Split split, Device device, int batchSize = DefaultBatchSize) =>
        PerExample(model, split, device, batchSize, (_, nll) => [nll])[0];

    /// <summary>
    /// In one pass over a split: the model's NLL and the per-example excess of it over the true NLL,
    /// <c>−log q(x) + log p(x)</c>, on the same examples. The gap's mean estimates KL(p‖q); pairing removes the spread
    /// that both NLLs share, so its standard error is far smaller than either NLL's.
    /// </summary>
    public static (MeanEstimate Nll, MeanEstimate Gap) NllAndGap(DensityModel model, Func<Tensor, Tensor> trueLogProb, Split split,
        Device device, int batchSize = DefaultBatchSize)
    {
        MeanEstimate[] figures = PerExample(model, split, device, batchSize, (x, nll) => [nll, nll.cpu() + trueLogProb(x.to(float64))]);
        return (figures[0], figures[1]);
    }

    /// <summary>
    /// Means and standard errors of the per-example <paramref name="figures"/>(CPU examples, their NLL) over a split,
    /// with one model pass per batch.
    /// </summary>
    private static MeanEstimate[] PerExample(DensityModel model, Split split, Device device, int batchSize, Func<Tensor, Tensor, Tensor[]> figures) =>
        PerBatch(model, split, device, batchSize, (start, n) =>
        {
            Tensor x = split.X.narrow(0, start, n);
            Tensor? context = split.Labels is null ? null : model.ContextFromLabels(split.Labels.narrow(0, start, n).to(device));
            return figures(x, -model.LogProb(x.to(device), context).to(float64));
        });

    /// <summary>
    /// Means and standard errors over a split of per-example figures that <paramref name="figures"/>(start, count) computes
    /// for each batch of examples, with the model in evaluation mode, without gradients, in a dispose scope per batch.
    /// </summary>
    internal static MeanEstimate[] PerBatch(DensityModel model, Split split, Device device, int batchSize, Func<long, long, Tensor[]> figures)
    {
        CheckShape(model, split.X);
        using var mode = model.InMode(training: false);
        using var generator = new Generator((ulong)NoiseSeed, device);
        NoiseSource.Skip(generator, split.FirstIndex * NoiseValuesPerExample(model), split.X.dtype);
        using var noise = NoiseSource.Use(generator);
        double[]? sums = null, sumSquares = null;
        for (long start = 0; start < split.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long n = Math.Min(batchSize, split.Count - start);
            Tensor[] values = figures(start, n).Select(v => v.to(float64)).ToArray();
            sums ??= new double[values.Length];
            sumSquares ??= new double[values.Length];
            for (int k = 0; k < values.Length; k++)
            {
                sums[k] += values[k].sum().item<double>();
                sumSquares[k] += values[k].square().sum().item<double>();
            }
        }
        if (sums is null || sumSquares is null) throw new ArgumentException("The split has no examples.");
        return sums.Select((sum, k) => Summarize(sum, sumSquares[k], split.Count)).ToArray();
    }

    /// <summary>
    /// The noise values one evaluation pass draws per example: one per dimension for each <see cref="Dequantize"/>
    /// (dropout draws none in evaluation mode).
    /// </summary>
    public static long NoiseValuesPerExample(DensityModel model) =>
        model.modules().OfType<Dequantize>().Count() * model.Config.EventShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The true per-example NLL of a split under a known density.</summary>
    public static MeanEstimate TrueNegativeLogLikelihood(Func<Tensor, Tensor> logProb, Split split)
    {
        using var scope = NewDisposeScope();
        Tensor nll = -logProb(split.X.to(float64));
        return Summarize(nll.sum().item<double>(), nll.square().sum().item<double>(), split.Count);
    }

    /// <summary>Bits per dimension of an NLL in nats over <paramref name="dimensions"/> dimensions: <c>nll / (D ln 2)</c>.</summary>
    public static double BitsPerDim(double nllNats, long dimensions) => nllNats / (dimensions * Math.Log(2));

    /// <summary>Throws a clear error when <paramref name="x"/>'s example shape differs from the model's.</summary>
    public static void CheckShape(DensityModel model, Tensor x)
    {
        long[] expected = model.Config.EventShape;
        long[] actual = TensorSizes.Of(x)[1..];
        if (!expected.SequenceEqual(actual))
            throw new InvalidSettingException("data",
                $"The data has examples of shape [{string.Join(", ", actual)}] but the model '{model.Config.Name}' expects [{string.Join(", ", expected)}].");
    }

    private static MeanEstimate Summarize(double sum, double sumSquares, long n)
    {
        double mean = sum / n;
        double variance = Math.Max(0, sumSquares / n - mean * mean);
        return new MeanEstimate(mean, Math.Sqrt(variance / n), n);
    }
}
