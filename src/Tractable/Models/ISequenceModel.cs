using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>
/// An autoregressive model of discrete sequences of any length with a finite receptive field (WaveNet): scored sample
/// by sample and generated as audio.
/// </summary>
public interface ISequenceModel
{
    /// <summary>How many past samples one prediction sees.</summary>
    int ReceptiveField { get; }

    /// <summary>Samples per second of the sequences it models.</summary>
    int SampleRate { get; }

    /// <summary>Switches to training or evaluation mode, without gradients in evaluation, until the result is disposed.</summary>
    IDisposable InMode(bool training);

    /// <summary>The log-probability in nats of every sample of <paramref name="x"/> <c>[B, T]</c>.</summary>
    Tensor LogProbPerStep(Tensor x, Tensor? global = null, Tensor? local = null);

    /// <summary>
    /// Generates <paramref name="batch"/> sequences of <paramref name="length"/> levels (int64 <c>[B, T]</c>), with
    /// the cached per-layer queues (<paramref name="fast"/>) or a full pass per sample; both give the same sequence for
    /// the same <paramref name="generator"/>. <paramref name="progress"/> receives the samples done.
    /// </summary>
    Tensor Generate(long batch, long length, bool fast, Generator? generator = null, double temperature = 1.0,
        Tensor? global = null, Tensor? local = null, Action<long>? progress = null);
}
