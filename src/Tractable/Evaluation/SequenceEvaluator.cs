using Tractable.Models;
using static TorchSharp.torch;

namespace Tractable.Evaluation;

/// <summary>A likelihood over whole sequences: the total NLL and the number of samples it covers.</summary>
/// <param name="TotalNats">Sum of −log p over all samples.</param>
/// <param name="Samples">Number of samples scored.</param>
/// <param name="Sequences">Number of sequences (files).</param>
public readonly record struct SequenceScore(double TotalNats, long Samples, int Sequences)
{
    /// <summary>Mean NLL per sample in nats.</summary>
    public double NatsPerSample => TotalNats / Samples;

    /// <summary>Mean NLL per sample in bits.</summary>
    public double BitsPerSample => NatsPerSample / Math.Log(2);
}

/// <summary>
/// Scores whole sequences of any length with an autoregressive model of finite receptive field: each sequence is cut
/// into chunks, and each chunk is run with the receptive field before it as left context, so every sample gets
/// exactly the log-probability a single pass over the whole sequence would give it (the first sample of a sequence
/// sees nothing before it). No gradients; a dispose scope per chunk.
/// </summary>
public static class SequenceEvaluator
{
    /// <summary>The NLL of every sample of <paramref name="sequences"/> (each int64 levels <c>[T_i]</c>).</summary>
    public static SequenceScore Evaluate(ISequenceModel model, IReadOnlyList<Tensor> sequences, Device device, long chunk = 16_384)
    {
        using var mode = model.InMode(training: false);
        long context = model.ReceptiveField;
        double total = 0;
        long samples = 0;
        foreach (Tensor sequence in sequences)
        {
            long length = sequence.size(0);
            for (long start = 0; start < length; start += chunk)
            {
                using var scope = NewDisposeScope();
                long left = Math.Min(context, start), count = Math.Min(chunk, length - start);
                Tensor window = sequence.narrow(0, start - left, left + count).unsqueeze(0).to(device);
                Tensor logp = model.LogProbPerStep(window).narrow(1, left, count);
                total -= logp.to(float64).sum().item<double>();
                samples += count;
            }
        }
        return new SequenceScore(total, samples, sequences.Count);
    }

    /// <summary>The leading sequences of <paramref name="sequences"/> holding about <paramref name="maxSamples"/> samples (the last one cut).</summary>
    public static IReadOnlyList<Tensor> Limit(IReadOnlyList<Tensor> sequences, long maxSamples)
    {
        var taken = new List<Tensor>();
        long total = 0;
        foreach (Tensor s in sequences)
        {
            if (total >= maxSamples) break;
            long n = Math.Min(s.size(0), maxSamples - total);
            taken.Add(n == s.size(0) ? s : s.narrow(0, 0, n));
            total += n;
        }
        return taken;
    }
}
