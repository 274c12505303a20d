using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using Tractable.Distributions;
using Tractable.Networks.WaveNet;
using Tractable.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Tractable.Models;

/// <summary>
/// WaveNet (van den Oord et al. 2016, arXiv:1609.03499, eq. 1): <c>log p(x) = Σ_t log softmax(f(x_&lt;t, c))[x_t]</c>
/// over µ-law levels <c>x_t ∈ {0, …, 255}</c>, with <c>x_0</c> conditioned on zeros. The context of
/// <see cref="DensityModel.LogProb"/> is the global conditioning <c>[B, G]</c> (e.g. one-hot speaker ids from
/// <see cref="ContextFromLabels"/>) or the local conditioning <c>[B, L, T_c]</c>; <see cref="LogProbPerStep"/>
/// takes both. Generation runs naively (the whole receptive field per sample) or fast (per-layer queues, Paine et
/// al. 2016); both draw each sample by inverse CDF from one uniform, so they give the same audio.
/// </summary>
public sealed class WaveNet : DensityModel, ISequenceModel
{
    private readonly WaveNetNetwork network;

    /// <summary>Builds the model described by <paramref name="config"/>.</summary>
    public WaveNet(WaveNetConfig config) : base(nameof(WaveNet), config)
    {
        network = new WaveNetNetwork(config.Levels, config.ResidualChannels, config.SkipChannels, config.Dilations(), config.KernelSize,
            config.GlobalClasses, config.LocalFeatures, config.LocalHop, config.LocalUpsampling);
        RegisterComponents();
    }

    /// <summary>The configuration.</summary>
    public WaveNetConfig Settings => (WaveNetConfig)Config;

    /// <summary>The network.</summary>
    public WaveNetNetwork Network => network;

    /// <summary>The receptive field in samples.</summary>
    public int ReceptiveField => Settings.ReceptiveField;

    /// <inheritdoc />
    public int SampleRate => Settings.SampleRate;


    /// <summary>The logits <c>[B, Q, T]</c> of each sample of <paramref name="x"/> <c>[B, T]</c> (levels as float or int64).</summary>
    public Tensor Logits(Tensor x, Tensor? global = null, Tensor? local = null) =>
        network.ForwardLevels(Levels(x), global, local);

    private static Tensor Levels(Tensor x) => x.dim() == 2
        ? x.to(int64)
        : throw new ArgumentException($"WaveNet takes level sequences [B, T], got [{string.Join(", ", x.shape)}].");

    /// <summary>The one-hot encoding <c>[B, Q, T]</c> (model dtype) of levels <c>[B, T]</c>.</summary>
    public Tensor OneHot(Tensor x)
    {
        if (x.dim() != 2) throw new ArgumentException($"WaveNet takes level sequences [B, T], got [{string.Join(", ", x.shape)}].");
        Tensor levels = x.to(int64);
        return nn.functional.one_hot(levels, Settings.Levels).to(ParameterDtype).permute(0, 2, 1);
    }

    /// <summary>The log-probability in nats of every sample <c>[B, T]</c>.</summary>
    public Tensor LogProbPerStep(Tensor x, Tensor? global = null, Tensor? local = null)
    {
        if (!is_grad_enabled()) return network.LevelLogProbs(Levels(x), global, local);
        // The network returns its logits as a transposed view of [B, T, Q]: normalized over that innermost axis in
        // place, rather than after libtorch copies them into [B, Q, T].
        Tensor logits = Logits(x, global, local).transpose(1, 2);                   // [B, T, Q]
        return logits.log_softmax(2).gather(2, x.to(int64).unsqueeze(2)).squeeze(2);
    }

    /// <inheritdoc />
    public override Tensor LogProb(Tensor x, Tensor? context = null)
    {
        (Tensor? global, Tensor? local) = SplitContext(context);
        return LogProbPerStep(x, global, local).sum(1);
    }

    /// <inheritdoc />
    public override Tensor? ContextFromLabels(Tensor labels) =>
        ClassContext.OneHot(labels, Settings.GlobalClasses, ParameterDtype);

    /// <inheritdoc />
    public override Tensor Sample(long n, Tensor? context = null, Generator? generator = null, double temperature = 1.0)
    {
        (Tensor? global, Tensor? local) = SplitContext(context);
        long batch = global?.size(0) ?? local?.size(0) ?? n;
        return Generate(batch, Settings.SegmentLength, fast: true, generator, temperature, global, local).to(float32);
    }

    /// <summary>
    /// Generates <paramref name="batch"/> sequences of <paramref name="length"/> levels (int64 <c>[B, T]</c>).
    /// Each step draws one uniform <c>u</c> per sequence and picks the first level whose cumulative probability
    /// (softmax of logits / temperature, in float64) exceeds <c>u</c>, so the naive and the fast way give the same
    /// audio whenever their logits agree to rounding. <paramref name="progress"/> is called with the samples done.
    /// </summary>
    public Tensor Generate(long batch, long length, bool fast, Generator? generator = null, double temperature = 1.0,
        Tensor? global = null, Tensor? local = null, Action<long>? progress = null)
    {
        if (!(temperature > 0) || !double.IsFinite(temperature)) throw new ArgumentException($"The sampling temperature must be positive and finite, got {temperature}.", nameof(temperature));
        bool wasTraining = training;
        eval();
        try
        {
            using var _ = no_grad();
            Device device = network.parameters().First().device;
            var output = zeros([batch, length], int64, device);
            if (fast) GenerateFast(output, generator, temperature, global, local, progress);
            else GenerateNaive(output, generator, temperature, global, local, progress);
            return output;
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>
    /// Up to this many sequences at once, fast generation on the CPU takes the fused per-sample step
    /// (<see cref="FusedWaveNet{T}"/>, no native call per sample); larger batches use the per-layer tensor queues
    /// (<see cref="IncrementalWaveNet"/>), whose batched matrix products then pay off.
    /// </summary>
    public const int FusedBatchLimit = 16;

    private void GenerateFast(Tensor output, Generator? generator, double temperature, Tensor? global, Tensor? local, Action<long>? progress)
    {
        long batch = output.size(0), length = output.size(1);
        if (batch <= FusedBatchLimit && output.device_type == DeviceType.CPU)
        {
            if (ParameterDtype == ScalarType.Float32)
            {
                GenerateFused<float>(output, generator, temperature, global, local, progress);
                return;
            }
            if (ParameterDtype == ScalarType.Float64)
            {
                GenerateFused<double>(output, generator, temperature, global, local, progress);
                return;
            }
        }
        using var incremental = new IncrementalWaveNet(network, batch, length, global, local);
        using var previous = zeros([batch, Settings.Levels], ParameterDtype, output.device);
        for (long t = 0; t < length; t++)
        {
            using var scope = NewDisposeScope();
            Tensor next = Draw(incremental.Step(previous), generator, temperature);  // [B]
            output.select(1, t).copy_(next);
            previous.copy_(OneHot(next.unsqueeze(1)).squeeze(2));
            Report(progress, t, length);
        }
    }

    /// <summary>
    /// Fast generation through <see cref="FusedWaveNet{T}"/>: the levels go straight into <paramref name="output"/>'s
    /// memory, and the uniforms are drawn in blocks (one block is the same stream as one draw per step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GenerateFused<T>(Tensor output, Generator? generator, double temperature, Tensor? global, Tensor? local, Action<long>? progress)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = (int)output.size(0);
        long length = output.size(1);
        int levels = Settings.Levels;
        const int Block = 1024;
        using var fused = new FusedWaveNet<T>(network, batch, length, global, local);
        var previous = new long[batch];
        System.Array.Fill(previous, -1L);
        var probabilities = new double[levels];
        Tensor? uniforms = null;
        try
        {
            for (long t = 0; t < length; t++)
            {
                if (t % Block == 0)
                {
                    uniforms?.Dispose();
                    uniforms = rand([Math.Min(Block, length - t), batch], float64, generator: generator).DetachFromDisposeScope();
                }
                ReadOnlySpan<double> u = MemoryMarshal.Cast<byte, double>(uniforms!.bytes).Slice((int)(t % Block) * batch, batch);
                ReadOnlySpan<T> logits = fused.Step(previous);
                Span<long> drawn = MemoryMarshal.Cast<byte, long>(output.bytes);                    // [B, T] row-major
                for (int b = 0; b < batch; b++)
                {
                    previous[b] = InverseCdf(logits.Slice(b * levels, levels), u[b], temperature, probabilities);
                    drawn[(int)(b * length + t)] = previous[b];
                }
                Report(progress, t, length);
            }
        }
        finally
        {
            uniforms?.Dispose();
        }
    }

    /// <summary>
    /// <see cref="Draw"/> for one sequence on the CPU: the first level whose cumulative probability (softmax of
    /// logits / temperature, in double) is at least <paramref name="u"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long InverseCdf<T>(ReadOnlySpan<T> logits, double u, double temperature, Span<double> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int l = 0; l < logits.Length; l++) scratch[l] = double.CreateTruncating(logits[l]) / temperature;
        double max = System.Numerics.Tensors.TensorPrimitives.Max(scratch);
        System.Numerics.Tensors.TensorPrimitives.Subtract(scratch, max, scratch);
        System.Numerics.Tensors.TensorPrimitives.Exp(scratch, scratch);
        double sum = System.Numerics.Tensors.TensorPrimitives.Sum(scratch), cdf = 0;
        for (int l = 0; l < logits.Length - 1; l++)
        {
            cdf += scratch[l] / sum;
            if (!(cdf < u)) return l;
        }
        return logits.Length - 1;
    }

    /// <summary>
    /// Up to this many sequences, naive generation on the CPU runs with libtorch on one thread
    /// (<see cref="SerialSection"/>): its passes over a window of a few sequences are too small to share. At two threads
    /// and 128 samples, 4 sequences ran 1.19× faster on one thread, 16 sequences 1.05× slower.
    /// </summary>
    public const int SerialNaiveBatchLimit = 4;

    private void GenerateNaive(Tensor output, Generator? generator, double temperature, Tensor? global, Tensor? local, Action<long>? progress)
    {
        long length = output.size(1);
        int field = ReceptiveField;
        using SerialSection serial = output.size(0) <= SerialNaiveBatchLimit && output.device_type == DeviceType.CPU ? SerialSection.Enter() : default;
        for (long t = 0; t < length; t++)
        {
            using var scope = NewDisposeScope();
            // The window holds the receptive field x[t−RF … t−1] and a placeholder at t: the logits there see only
            // samples before t (causality), and the convolutions' zero padding before the window lies outside the
            // field. With local conditioning the window starts on a frame boundary (a longer window changes nothing).
            long start = Math.Max(0, t - field);
            if (local is not null) start -= start % Settings.LocalHop;               // frame-aligned, so upsampling lines up
            Tensor window = output.narrow(1, start, t - start + 1);
            Tensor? localWindow = local?.narrow(2, start / Settings.LocalHop, (t - start) / Settings.LocalHop + 1);
            Tensor logits = network.LastLogits(window, global, localWindow);
            output.select(1, t).copy_(Draw(logits, generator, temperature));
            Report(progress, t, length);
        }
    }

    /// <summary>One level per row of <paramref name="logits"/> <c>[B, Q]</c>, by the inverse CDF in float64.</summary>
    private static Tensor Draw(Tensor logits, Generator? generator, double temperature) =>
        Distributions.InverseCdf.Draw(logits.to(float64), rand([logits.size(0)], float64, logits.device, generator: generator), temperature);

    private static void Report(Action<long>? progress, long t, long length)
    {
        if (progress is not null && ((t + 1) % 256 == 0 || t + 1 == length)) progress(t + 1);
    }

    private (Tensor? Global, Tensor? Local) SplitContext(Tensor? context) => context?.dim() switch
    {
        null => (null, null),
        2 => (context, null),
        3 => (null, context),
        _ => throw new ArgumentException($"WaveNet context must be global [B, G] or local [B, L, T_c], got [{string.Join(", ", context.shape)}]."),
    };
}
